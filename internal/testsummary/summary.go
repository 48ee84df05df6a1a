// Package testsummary reads the event stream of `go test -json` and tells
// what ran: how many tests passed, failed and were skipped, the skip reasons
// grouped, the failures with the end of their output, and the slowest
// tests. make test-matrix prints one per CLI.
package testsummary

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

// Result is one test's (or subtest's) outcome.
type Result struct {
	Package, Test string
	// Action is pass, fail or skip; a test that started but never ended
	// (the binary timed out or crashed) counts as failed, with Unfinished.
	Action     string
	Unfinished bool
	Elapsed    time.Duration
	// Output is what the test printed, the framing lines left out.
	Output []string
}

// Top tells whether r is a top-level test rather than a subtest.
func (r Result) Top() bool { return !strings.Contains(r.Test, "/") }

// Summary is what one `go test -json` run did.
type Summary struct {
	Results []Result
	// Packages maps each package to its outcome (ok, FAIL, or a build
	// failure's output when no test ran).
	Packages map[string]string
	Elapsed  time.Duration
}

// framing matches the lines the test runner adds around a test's own output.
var framing = regexp.MustCompile(`^\s*(=== (RUN|PAUSE|CONT|NAME)|--- (PASS|FAIL|SKIP):)`)

// Read parses a `go test -json` stream. Lines that are not JSON (a build
// error printed before the stream) are kept as package output under "".
func Read(r io.Reader) (*Summary, error) {
	s := &Summary{Packages: map[string]string{}}
	outputs := map[[2]string][]string{}
	started := map[[2]string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			outputs[[2]string{"", ""}] = append(outputs[[2]string{"", ""}], string(line))
			continue
		}
		key := [2]string{e.Package, e.Test}
		switch e.Action {
		case "run":
			started[key] = true
		case "output":
			if out := strings.TrimRight(e.Output, "\n"); e.Test == "" || !framing.MatchString(out) {
				outputs[key] = append(outputs[key], out)
			}
		case "pass", "fail", "skip":
			elapsed := time.Duration(e.Elapsed * float64(time.Second))
			if e.Test == "" {
				s.Packages[e.Package] = e.Action
				s.Elapsed = max(s.Elapsed, elapsed)
				if e.Action == "fail" {
					s.Packages[e.Package] = "fail\n" + strings.Join(outputs[key], "\n")
				}
				continue
			}
			s.Results = append(s.Results, Result{Package: e.Package, Test: e.Test, Action: e.Action, Elapsed: elapsed, Output: outputs[key]})
			delete(outputs, key)
			delete(started, key)
		}
	}
	for _, key := range slices.SortedFunc(maps.Keys(started), func(a, b [2]string) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
	}) {
		s.Results = append(s.Results, Result{Package: key[0], Test: key[1], Action: "fail", Unfinished: true, Output: outputs[key]})
	}
	if stray := outputs[[2]string{"", ""}]; len(stray) > 0 {
		s.Packages[""] = "fail\n" + strings.Join(stray, "\n")
	}
	return s, sc.Err()
}

// Count returns how many results had action, and how many of those were
// top-level tests.
func (s *Summary) Count(action string) (all, top int) {
	for _, r := range s.Results {
		if r.Action == action {
			all++
			if r.Top() {
				top++
			}
		}
	}
	return all, top
}

// location is the "file_test.go:12: " prefix t.Skip puts before a reason.
var location = regexp.MustCompile(`^\s*[\w.-]+\.go:\d+: `)

// SkipReasons groups the skipped tests by the first line of their reason,
// most frequent first.
func (s *Summary) SkipReasons() []Group {
	byReason := map[string][]string{}
	for _, r := range s.Results {
		if r.Action != "skip" {
			continue
		}
		reason := "(no reason given)"
		for _, line := range r.Output {
			if l := strings.TrimSpace(location.ReplaceAllString(line, "")); l != "" {
				reason = l
				break
			}
		}
		byReason[reason] = append(byReason[reason], r.Test)
	}
	groups := make([]Group, 0, len(byReason))
	for reason, tests := range byReason {
		groups = append(groups, Group{Reason: reason, Tests: tests})
	}
	slices.SortFunc(groups, func(a, b Group) int {
		return cmp.Or(cmp.Compare(len(b.Tests), len(a.Tests)), cmp.Compare(a.Reason, b.Reason))
	})
	return groups
}

// Group is the tests skipped for one reason.
type Group struct {
	Reason string
	Tests  []string
}

// Write prints the summary under the title; slowest top-level tests are
// listed up to n. Its last line is "title: N passed, N failed, N skipped".
func (s *Summary) Write(w io.Writer, title string, slowest int) {
	pass, passTop := s.Count("pass")
	fail, failTop := s.Count("fail")
	skip, skipTop := s.Count("skip")
	fmt.Fprintf(w, "== %s: %d tests and subtests ran in %s (top-level tests: %d passed, %d failed, %d skipped)\n",
		title, pass+fail+skip, s.Elapsed.Round(time.Second), passTop, failTop, skipTop)

	pkgs := slices.Sorted(func(yield func(string) bool) {
		for p := range s.Packages {
			if !yield(p) {
				return
			}
		}
	})
	for _, p := range pkgs {
		if out, failed := strings.CutPrefix(s.Packages[p], "fail\n"); failed && out != "" {
			fmt.Fprintf(w, "-- package %s failed:\n%s\n", cmp.Or(p, "(build)"), tail(strings.Split(out, "\n"), 40))
		}
	}
	if groups := s.SkipReasons(); len(groups) > 0 {
		fmt.Fprintln(w, "-- skipped, by reason:")
		for _, g := range groups {
			fmt.Fprintf(w, "  %3d  %s\n", len(g.Tests), g.Reason)
			for _, t := range g.Tests[:min(len(g.Tests), 5)] {
				fmt.Fprintf(w, "         %s\n", t)
			}
			if len(g.Tests) > 5 {
				fmt.Fprintf(w, "         ... and %d more\n", len(g.Tests)-5)
			}
		}
	}
	for _, r := range s.Results {
		switch {
		case r.Unfinished:
			fmt.Fprintf(w, "-- FAIL %s (did not finish)\n%s\n", r.Test, tail(r.Output, 30))
		case r.Action == "fail":
			fmt.Fprintf(w, "-- FAIL %s (%s)\n%s\n", r.Test, r.Elapsed.Round(10*time.Millisecond), tail(r.Output, 30))
		}
	}
	if slowest > 0 {
		top := slices.DeleteFunc(slices.Clone(s.Results), func(r Result) bool { return !r.Top() })
		slices.SortStableFunc(top, func(a, b Result) int { return cmp.Compare(b.Elapsed, a.Elapsed) })
		fmt.Fprintln(w, "-- slowest top-level tests:")
		for _, r := range top[:min(len(top), slowest)] {
			fmt.Fprintf(w, "  %7.1fs  %s\n", r.Elapsed.Seconds(), r.Test)
		}
	}
	fmt.Fprintf(w, "%s: %d passed, %d failed, %d skipped\n", title, pass, fail, skip)
}

// tail is the last n lines of lines, indented.
func tail(lines []string, n int) string {
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return "    " + strings.Join(lines, "\n    ")
}

// OK tells whether at least one test ran and no test or package failed.
func (s *Summary) OK() bool {
	for _, outcome := range s.Packages {
		if strings.HasPrefix(outcome, "fail") {
			return false
		}
	}
	pass, _ := s.Count("pass")
	fail, _ := s.Count("fail")
	return pass > 0 && fail == 0
}

package testsummary

import (
	"strings"
	"testing"
)

// stream is a `go test -json` run of one package: a passing test with a
// subtest, two tests skipped for one reason and one for another, and a
// failure.
const stream = `{"Action":"start","Package":"p"}
{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"run","Package":"p","Test":"TestA/sub"}
{"Action":"output","Package":"p","Test":"TestA/sub","Output":"    --- PASS: TestA/sub (0.10s)\n"}
{"Action":"pass","Package":"p","Test":"TestA/sub","Elapsed":0.1}
{"Action":"pass","Package":"p","Test":"TestA","Elapsed":2.5}
{"Action":"output","Package":"p","Test":"TestB","Output":"=== RUN   TestB\n"}
{"Action":"output","Package":"p","Test":"TestB","Output":"    b_test.go:10: OpenTofu 1.12.6 does not support query\n"}
{"Action":"output","Package":"p","Test":"TestB","Output":"--- SKIP: TestB (0.00s)\n"}
{"Action":"skip","Package":"p","Test":"TestB","Elapsed":0}
{"Action":"output","Package":"p","Test":"TestC","Output":"    c_test.go:20: OpenTofu 1.12.6 does not support query\n"}
{"Action":"skip","Package":"p","Test":"TestC","Elapsed":0}
{"Action":"output","Package":"p","Test":"TestD","Output":"    clis.go:7: no terraform-provider-github in .cache/clis\n"}
{"Action":"skip","Package":"p","Test":"TestD","Elapsed":0}
{"Action":"output","Package":"p","Test":"TestE","Output":"    e_test.go:3: want 1, got 2\n"}
{"Action":"fail","Package":"p","Test":"TestE","Elapsed":7}
{"Action":"output","Package":"p","Output":"FAIL\n"}
{"Action":"fail","Package":"p","Elapsed":9.5}
`

func TestSummary(t *testing.T) {
	s, err := Read(strings.NewReader(stream))
	if err != nil {
		t.Fatal(err)
	}
	for action, want := range map[string][2]int{"pass": {2, 1}, "skip": {3, 3}, "fail": {1, 1}} {
		if all, top := s.Count(action); all != want[0] || top != want[1] {
			t.Errorf("%s: %d (%d top-level), want %d (%d)", action, all, top, want[0], want[1])
		}
	}
	groups := s.SkipReasons()
	if len(groups) != 2 || groups[0].Reason != "OpenTofu 1.12.6 does not support query" || len(groups[0].Tests) != 2 ||
		groups[1].Reason != "no terraform-provider-github in .cache/clis" {
		t.Errorf("skip reasons: %+v", groups)
	}
	if s.OK() {
		t.Error("a run with a failure is OK")
	}
	var out strings.Builder
	s.Write(&out, "tofu-1.12.6", 1)
	text := out.String()
	for _, want := range []string{
		"== tofu-1.12.6: 6 tests and subtests ran in 10s (top-level tests: 1 passed, 1 failed, 3 skipped)",
		"    2  OpenTofu 1.12.6 does not support query\n         TestB\n         TestC\n",
		"-- FAIL TestE (7s)\n        e_test.go:3: want 1, got 2\n",
		"-- slowest top-level tests:\n      7.0s  TestE\ntofu-1.12.6: ",
		"\ntofu-1.12.6: 2 passed, 1 failed, 3 skipped\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the summary lacks %q:\n%s", want, text)
		}
	}
}

func TestSummaryOfABuildFailure(t *testing.T) {
	s, err := Read(strings.NewReader("# p\n./x.go:1:1: syntax error\n" +
		`{"Action":"output","Package":"p","Output":"FAIL\tp [build failed]\n"}` + "\n" +
		`{"Action":"fail","Package":"p","Elapsed":0}` + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.OK() {
		t.Error("a build failure is OK")
	}
	var out strings.Builder
	s.Write(&out, "terraform", 0)
	if !strings.Contains(out.String(), "syntax error") || !strings.Contains(out.String(), "[build failed]") {
		t.Errorf("the summary does not show the build failure:\n%s", out.String())
	}
}

func TestSummaryOfNoTest(t *testing.T) {
	s, err := Read(strings.NewReader(`{"Action":"skip","Package":"p","Elapsed":0}` + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.OK() {
		t.Error("a run in which no test ran is OK")
	}
}

func TestSummaryOfATimeout(t *testing.T) {
	s, err := Read(strings.NewReader(`{"Action":"run","Package":"p","Test":"TestSlow"}
{"Action":"run","Package":"p","Test":"TestQuick"}
{"Action":"pass","Package":"p","Test":"TestQuick","Elapsed":1}
{"Action":"output","Package":"p","Test":"TestSlow","Output":"panic: test timed out after 20m0s\n"}
{"Action":"fail","Package":"p","Elapsed":1200}
`))
	if err != nil {
		t.Fatal(err)
	}
	if all, _ := s.Count("fail"); all != 1 || s.OK() {
		t.Errorf("%d failed, OK %v; want the unfinished test failed", all, s.OK())
	}
	var out strings.Builder
	s.Write(&out, "terraform", 0)
	if !strings.Contains(out.String(), "-- FAIL TestSlow (did not finish)\n    panic: test timed out after 20m0s") {
		t.Errorf("the summary does not show the unfinished test:\n%s", out.String())
	}
}

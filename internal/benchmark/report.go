package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// printHeader says how the runs were made; repos is the repositories per
// selected secret, 0 when only repository and environment secrets run.
func printHeader(w io.Writer, latency, gap time.Duration, repos, parallelism int) {
	between := "back to back"
	if gap > 0 {
		between = gap.String() + " apart"
	}
	perSecret := ""
	if repos > 0 {
		perSecret = fmt.Sprintf("%d repositories per selected secret, ", repos)
	}
	fmt.Fprintf(w, "terraform against the fake GitHub API: %s latency per request, %s-parallelism=%d, commands %s\n",
		latency, perSecret, parallelism, between)
	fmt.Fprintf(w, "304: answers to conditional requests, which GitHub does not count against the rate limit; "+
		"ratio: requests less 304s, over the minimum\n\n")
	fmt.Fprintf(w, "%-5s %-6s %-8s %-13s %-8s %8s %-31s %5s %8s %7s %-6s %7s %7s %8s\n",
		"N", "limits", "lists", "pacing", "phase", "wall s", "requests by method", "304", "rejected", "minimum", "ratio",
		"bound s", "x bound", "peak MiB")
}

func printResults(w io.Writer, sc scenario, phases []phase) {
	for _, p := range phases {
		methods := make([]string, 0, len(p.byMethod))
		for m := range p.byMethod {
			methods = append(methods, m)
		}
		slices.Sort(methods)
		var parts []string
		for _, m := range methods {
			parts = append(parts, fmt.Sprintf("%s %d", m, p.byMethod[m]))
		}
		bound, times := "-", "-"
		if p.bound > 0 {
			bound = fmt.Sprintf("%.0f", p.bound.Seconds())
			times = fmt.Sprintf("%.2fx", p.wall.Seconds()/p.bound.Seconds())
		}
		name := p.name
		if p.failed != "" {
			name += " FAILED"
		}
		lists := string(sc.lists)
		if sc.layout != nil {
			lists = sc.layout.label()
		}
		fmt.Fprintf(w, "%-5d %-6s %-8s %-13s %-8s %8.1f %-31s %5d %8d %7d %-6s %7s %7s %8.1f\n",
			sc.total(), sc.limits, lists, sc.pacing, name, p.wall.Seconds(), strings.Join(parts, ", "), p.notModified,
			p.rejected, p.minimum, fmt.Sprintf("%.2fx", float64(p.charged())/float64(p.minimum)),
			bound, times, float64(p.peakRSSKB)/1024)
	}
	if sc.layout != nil {
		fmt.Fprintf(w, "      %s: %s\n", sc.layout.label(), sc.layout.describe())
	} else if len(sc.kinds) > 1 {
		fmt.Fprintf(w, "      kinds: %s, %d secrets of each\n", strings.Join(sc.kinds, ", "), sc.secrets)
	}
	for _, p := range phases {
		if len(p.byRoute) == 0 {
			continue
		}
		var parts []string
		for _, r := range slices.Sorted(maps.Keys(p.byRoute)) {
			c := p.byRoute[r]
			part := fmt.Sprintf("%s %d", r, c.requests)
			if c.notModified > 0 {
				part += fmt.Sprintf(" (%d 304)", c.notModified)
			}
			parts = append(parts, part)
		}
		fmt.Fprintf(w, "      requests of %s: %s\n", p.name, strings.Join(parts, ", "))
	}
	for _, p := range phases {
		fmt.Fprintf(w, "      minimum for %s: %s; latency floor %.1f s (its requests x latency / parallelism)\n",
			p.name, p.minNote, (time.Duration(p.total) * sc.latency / time.Duration(sc.parallelism)).Seconds())
	}
	if sc.limits != limitsOff && sc.layout != nil {
		fmt.Fprintf(w, "      bound: the least wall time the secondary limits allow: each endpoint (a row's method and route, "+
			"whatever the repository) takes %s a minute, the first minute's at once; a refresh's reads come before the writes\n",
			map[limitMode]string{limitsOn: "180 writes (900 points) and 900 reads", limitsStrict: "900 reads, and all writes 80"}[sc.limits])
	} else if sc.limits != limitsOff {
		fmt.Fprintf(w, "      bound: the least wall time the secondary limits allow: each endpoint takes %s a minute, "+
			"the first minute's at once\n", map[limitMode]string{limitsOn: "180 writes (900 points) and 900 reads",
			limitsStrict: "80 writes and 900 reads"}[sc.limits])
	}
	fmt.Fprintln(w)
}

package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

func printHeader(w io.Writer, latency time.Duration, repos, parallelism int) {
	fmt.Fprintf(w, "terraform against the fake GitHub API: %s latency per request, %d repositories per secret, -parallelism=%d\n\n",
		latency, repos, parallelism)
	fmt.Fprintf(w, "%-6s %-7s %-8s %9s %-34s %9s %8s %-10s %9s\n",
		"N", "limits", "phase", "wall s", "requests by method", "rejected", "minimum", "ratio", "peak MiB")
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
		fmt.Fprintf(w, "%-6d %-7s %-8s %9.1f %-34s %9d %8d %-10s %9.1f\n",
			sc.secrets, sc.limits, p.name, p.wall.Seconds(), strings.Join(parts, ", "),
			p.rejected, p.minimum, fmt.Sprintf("%.2fx", float64(p.total)/float64(p.minimum)), float64(p.peakRSSKB)/1024)
	}
	for _, p := range phases {
		fmt.Fprintf(w, "       minimum for %s: %s; latency floor %.1f s (its requests x latency / parallelism)\n",
			p.name, p.minNote, (time.Duration(p.total) * sc.latency / time.Duration(sc.parallelism)).Seconds())
	}
	if bound := limitBound(sc); bound > 0 {
		fmt.Fprintf(w, "       limit-implied minimum wall time for apply: %.0f s\n", bound.Seconds())
	}
	fmt.Fprintln(w)
}

// limitBound is the least time the secondary limits allow for the apply's
// writes. An endpoint takes 180 writes (900 points at 5 a write) per sliding
// minute: the first 180 go at once, each further 180 a minute later. The
// configuration's repository lists refer to the secrets resource, and
// Terraform orders whole resources, so every list write comes after every
// secret write: the two endpoints' minutes add up. The strict mode allows 80
// writes a minute in all.
func limitBound(sc scenario) time.Duration {
	minutes := func(writes, perMinute int) time.Duration {
		if writes <= 0 {
			return 0
		}
		return time.Duration((writes-1)/perMinute) * time.Minute
	}
	switch sc.limits {
	case limitsOn:
		return 2 * minutes(sc.secrets, 180)
	case limitsStrict:
		return minutes(2*sc.secrets, 80)
	}
	return 0
}

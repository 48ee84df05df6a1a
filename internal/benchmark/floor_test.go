package main

import "testing"

// TestFloorSpreadsOverKinds: a floor run above 1,000 secrets spreads them
// evenly over as many kinds as GitHub needs to hold them (1,000 of a kind in
// an organization), and refuses a size it cannot spread.
func TestFloorSpreadsOverKinds(t *testing.T) {
	for n, want := range map[int][]string{
		100:  {"actions"},
		1000: {"actions"},
		1002: {"actions", "dependabot"},
		3000: {"actions", "dependabot", "codespaces"},
		4000: {"actions", "dependabot", "codespaces", "agents"},
	} {
		if err := checkFloorSize(n); err != nil {
			t.Fatalf("%d: %v", n, err)
		}
		fs := floorScenario{secrets: n}
		kinds := fs.kinds()
		if len(kinds) != len(want) {
			t.Errorf("%d secrets over %v, want %v", n, kinds, want)
			continue
		}
		for i := range want {
			if kinds[i] != want[i] {
				t.Errorf("%d secrets over %v, want %v", n, kinds, want)
			}
		}
		if per := n / len(kinds); per > floorKindCap || per*len(kinds) != n {
			t.Errorf("%d secrets: %d of each of %d kinds", n, per, len(kinds))
		}
	}
	for _, n := range []int{1001, 2500, 4001, 5000} {
		if checkFloorSize(n) == nil {
			t.Errorf("%d secrets: no error, want one", n)
		}
	}
}

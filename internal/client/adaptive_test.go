package client

import "testing"

func TestParsePacingOff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want pacingParts
		ok   bool
	}{
		{"", pacingParts{}, true},
		{"learned", pacingParts{noLearned: true}, true},
		{"escalation, resume", pacingParts{noEscalation: true, noResume: true}, true},
		{"learned,escalation,resume", pacingParts{true, true, true}, true},
		{"learn", pacingParts{}, false},
	}
	for _, tt := range tests {
		got, err := parsePacingOff(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parsePacingOff(%q) = %+v, %v; want %+v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	if buildParts != (pacingParts{}) {
		t.Errorf("a plain build leaves out %+v", buildParts)
	}
}

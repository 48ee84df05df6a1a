package client

import (
	"fmt"
	"strings"
)

// pacingOff names the adaptive pacing parts a build leaves out,
// comma-separated: learned (learnedBudget), escalation (longer waits for
// repeated rejections) and resume (one request first after a pause). It is
// for measuring what each part is worth (internal/benchmark -pacing) and is
// set only when building:
//
//	go build -ldflags "-X github.com/ghsecrets/terraform-provider-ghsecrets/internal/client.pacingOff=learned" .
var pacingOff string

// pacingParts says which adaptive parts are left out; the zero value has
// them all.
type pacingParts struct {
	noLearned, noEscalation, noResume bool
}

// buildParts is what this build's pacingOff says, read once.
var buildParts = mustParsePacingOff(pacingOff)

func parsePacingOff(s string) (pacingParts, error) {
	var p pacingParts
	for _, name := range strings.Split(s, ",") {
		switch strings.TrimSpace(name) {
		case "":
		case "learned":
			p.noLearned = true
		case "escalation":
			p.noEscalation = true
		case "resume":
			p.noResume = true
		default:
			return pacingParts{}, fmt.Errorf("pacingOff: %q is not one of learned, escalation, resume", name)
		}
	}
	return p, nil
}

func mustParsePacingOff(s string) pacingParts {
	p, err := parsePacingOff(s)
	if err != nil {
		panic(err)
	}
	return p
}

// Package secretname holds GitHub's rules for Actions secret names, shared by
// every resource that takes one.
package secretname

import (
	"fmt"
	"regexp"
	"strings"
)

// reservedPrefix is refused by GitHub for user secrets, in any case.
const reservedPrefix = "GITHUB_"

var pattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Rule states the naming rule in the words used by every diagnostic.
const Rule = "secret names may contain only letters, digits and underscores ([A-Za-z0-9_]), " +
	"must not start with a digit, and must not start with GITHUB_ (in any case)"

// Validate reports why name is not a valid Actions secret name, or nil.
func Validate(name string) error {
	switch problem := Problem(name); {
	case problem == "":
		return nil
	case name == "":
		return fmt.Errorf("the name %s: %s", problem, Rule)
	default:
		return fmt.Errorf("%q %s: %s", name, problem, Rule)
	}
}

// Problem says what is wrong with name ("starts with a digit"), or "".
func Problem(name string) string {
	switch {
	case name == "":
		return "is empty"
	case name[0] >= '0' && name[0] <= '9':
		return "starts with a digit"
	case !pattern.MatchString(name):
		return "contains a character other than a letter, a digit or an underscore"
	case strings.HasPrefix(strings.ToUpper(name), reservedPrefix):
		return "starts with the reserved prefix GITHUB_"
	}
	return ""
}

// Normalize returns the spelling GitHub stores: names are kept upper-case.
func Normalize(name string) string {
	return strings.ToUpper(name)
}

// Equal reports whether two spellings name the same secret; GitHub compares
// names case-insensitively.
func Equal(a, b string) bool {
	return strings.EqualFold(a, b)
}

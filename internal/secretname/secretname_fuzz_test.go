package secretname

import (
	"strings"
	"testing"
)

// referenceValid is GitHub's naming rule written out byte by byte, as an
// oracle independent of Validate's regular expression.
func referenceValid(name string) bool {
	if name == "" || (name[0] >= '0' && name[0] <= '9') {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		word := c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !word {
			return false
		}
	}
	reserved := len(name) >= len(reservedPrefix) && strings.EqualFold(name[:len(reservedPrefix)], reservedPrefix)
	return !reserved
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// FuzzValidateNormalize checks the rules one name must keep.
func FuzzValidateNormalize(f *testing.F) {
	for _, seed := range []string{
		"", "MY_SECRET", "my_secret", "_", "_1", "1A", "A-B", "GITHUB_", "github_token",
		"GitHub_X", "GITHUBX", "GITHU", "ſecret", "ı", "K", "\xff", "A\x00B", "SÉCRET",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		err := Validate(name)
		valid := err == nil
		if want := referenceValid(name); valid != want {
			t.Fatalf("Validate(%q) = %v, want valid=%v", name, err, want)
		}
		if err != nil && !strings.Contains(err.Error(), Rule) {
			t.Fatalf("Validate(%q) = %q, which does not state the rule", name, err)
		}

		norm := Normalize(name)
		if again := Normalize(norm); again != norm {
			t.Fatalf("Normalize is not idempotent: %q -> %q -> %q", name, norm, again)
		}
		if !valid {
			return
		}
		// A valid name is ASCII, so its normal form is the same length,
		// upper-case, names the same secret and is valid too.
		if err := Validate(norm); err != nil {
			t.Fatalf("Normalize(%q) = %q, which is invalid: %v", name, norm, err)
		}
		if len(norm) != len(name) || !strings.EqualFold(norm, name) || strings.ContainsAny(norm, "abcdefghijklmnopqrstuvwxyz") {
			t.Fatalf("Normalize(%q) = %q, not the upper-case spelling", name, norm)
		}
		if !Equal(name, norm) || !Equal(norm, name) {
			t.Fatalf("Equal(%q, its normal form %q) = false", name, norm)
		}
	})
}

// FuzzEqual checks that Equal is case-insensitive equality of normal forms
// wherever names can be valid, and an equivalence everywhere.
func FuzzEqual(f *testing.F) {
	for _, seed := range [][2]string{
		{"MY_SECRET", "my_secret"}, {"MY_SECRET", "MY_SECRET2"}, {"a", "A"}, {"", ""}, {"_", "-"},
		// Outside ASCII, Unicode folding and upper-casing part ways: the
		// Kelvin sign folds to k but stays itself upper-cased.
		{"K", "k"}, {"ſ", "S"}, {"ß", "SS"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		eq := Equal(a, b)
		if eq != Equal(b, a) {
			t.Fatalf("Equal(%q, %q) is not symmetric", a, b)
		}
		if !Equal(a, a) {
			t.Fatalf("Equal(%q, itself) = false", a)
		}
		if eq && len(a) != len(b) && isASCII(a) && isASCII(b) {
			t.Fatalf("Equal(%q, %q) = true for ASCII names of different lengths", a, b)
		}
		// Valid names are ASCII, where both notions agree exactly.
		if isASCII(a) && isASCII(b) {
			if same := Normalize(a) == Normalize(b); eq != same {
				t.Fatalf("Equal(%q, %q) = %v, but their normal forms %q and %q equal: %v", a, b, eq, Normalize(a), Normalize(b), same)
			}
		}
		if Validate(a) == nil && Validate(b) == nil && eq != (Normalize(a) == Normalize(b)) {
			t.Fatalf("valid names %q and %q: Equal = %v disagrees with their normal forms", a, b, eq)
		}
	})
}

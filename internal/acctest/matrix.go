package acctest

import (
	"os"
	"strings"
	"sync"
	"testing"
)

// Which CLI runs which test is decided here, from what the test package
// declares, never by a list in a script:
//
//   - `make test` runs, with the newest Terraform, the unit tests and the
//     acceptance tests whose outcome depends on the CLI: the Matrix the
//     package gives Run (GHSECRETS_TESTS=matrix), and skips the others,
//     saying so;
//   - `make test-extended` runs the other acceptance tests with the newest
//     Terraform (GHSECRETS_TESTS=extended), so make test and it together
//     run every test with the newest Terraform (make test-all, and CI);
//   - `make test-matrix` runs the Matrix with every other CLI of the
//     version matrix;
//   - `make test-type TYPE=...` runs the tests of one resource type
//     (GHSECRETS_TYPE): those that declare it with ForType, or whose name
//     names it.

// Matrix maps the top-level tests that run with every CLI to what each
// covers ("lifecycle ghsecrets_org_actions_secret", "moved", ...); a test
// checks the set against the provider's types.
type Matrix map[string][]string

var (
	matrixMu  sync.Mutex
	matrixSet Matrix
	forTypes  = map[string][]string{} // test name -> types it declared
)

// SetMatrix records the package's Matrix (Run does, when given one).
func SetMatrix(m Matrix) {
	matrixMu.Lock()
	defer matrixMu.Unlock()
	matrixSet = m
}

// ForType declares that t (and its subtests) exercises the resource types,
// for `make test-type`; it skips t when another type was asked for.
func ForType(t testing.TB, types ...string) {
	t.Helper()
	matrixMu.Lock()
	forTypes[t.Name()] = append(forTypes[t.Name()], types...)
	matrixMu.Unlock()
	skipOtherTests(t)
}

// skipOtherTests skips a test that the run does not ask for: one outside
// the matrix set in a matrix run, one of another resource type in a run of
// one type.
func skipOtherTests(t testing.TB) {
	t.Helper()
	name := t.Name()
	top, _, _ := strings.Cut(name, "/")
	switch os.Getenv("GHSECRETS_TESTS") {
	case "matrix":
		if !inMatrix(top) {
			t.Skip("an extended test (make test-extended), run with the newest Terraform only: not in the version matrix's set (acctest.Matrix of this package)")
		}
	case "extended":
		if inMatrix(top) {
			t.Skip("in the version matrix's set (acctest.Matrix of this package): make test runs it")
		}
	}
	if want := os.Getenv("GHSECRETS_TYPE"); want != "" && !coversType(name, want) {
		t.Skipf("not a test of %s (make test-type)", want)
	}
}

// inMatrix reports whether the top-level test is in the package's Matrix.
func inMatrix(top string) bool {
	matrixMu.Lock()
	defer matrixMu.Unlock()
	_, in := matrixSet[top]
	return in
}

// coversType reports whether the test name (or one of its parents)
// declared the type, or names it: TestAccOrgActionsSecretRepositories_x
// is a test of ghsecrets_org_actions_secret_repositories.
func coversType(name, typeName string) bool {
	matrixMu.Lock()
	defer matrixMu.Unlock()
	for n := name; ; {
		for _, ty := range forTypes[n] {
			if ty == typeName {
				return true
			}
		}
		i := strings.LastIndex(n, "/")
		if i < 0 {
			break
		}
		n = n[:i]
	}
	return strings.Contains(name, "TestAcc"+camel(strings.TrimPrefix(typeName, "ghsecrets_"))+"_")
}

// camel is org_actions_secret as OrgActionsSecret.
func camel(s string) string {
	var b strings.Builder
	for _, part := range strings.Split(s, "_") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

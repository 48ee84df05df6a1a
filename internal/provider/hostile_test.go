package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// TestAccHostileServer runs the CLI against a fake that echoes what each
// request carried (the token, the sealed value, in many spellings, with
// terminal control characters) into its errors, and redirects to another
// port. Every command's output, the state files and the run's TRACE logs
// are scanned for all of it (the leak scan watches every spelling the fake
// echoed); the errors must still name the secret, the HTTP status and
// GitHub's message, and the other port must receive nothing.
func TestAccHostileServer(t *testing.T) {
	t.Parallel()
	fake := fakegithub.New(fakegithub.Options{Token: testToken, Orgs: []string{testOrg}})
	r0 := fake.AddRepository(testOrg, "api").ID
	acctest.WatchFake(fake)
	// No API description check: a hostile server breaks it on purpose.
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		elsewhere.Add(1)
		w.WriteHeader(http.StatusCreated)
	}))
	t.Cleanup(other.Close)
	otherHost := strings.TrimPrefix(other.URL, "http://")

	value := testPlaintext(t, "hostile")
	config := func(versionA int, extra string) string {
		return requiredProviders + `
variable "value" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "ghsecrets_org_actions_secret" "a" {
  secret_name      = "HOSTILE_A"
  visibility       = "private"
  value_wo         = var.value
  value_wo_version = ` + fmt.Sprint(versionA) + `
}

resource "ghsecrets_org_actions_secret" "b" {
  secret_name             = "HOSTILE_B"
  visibility              = "selected"
  value_wo                = var.value
  value_wo_version        = 1
  selected_repository_ids = [` + fmt.Sprint(r0) + `]
}
` + extra
	}
	cli := acctest.NewCLI(t, acctest.BuildProvider(t), config(1, ""),
		"GITHUB_OWNER="+testOrg, "GITHUB_TOKEN="+testToken, "GITHUB_BASE_URL="+srv.URL, "TF_VAR_value="+value)
	setConfig := func(body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(cli.Dir, "main.tf"), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// failing runs a command that must fail with an error matching want, and
	// checks its output for control characters (cli.run checks it for every
	// watched value).
	failing := func(want string, args ...string) string {
		t.Helper()
		out, code := cli.Run(args...)
		if code == 0 {
			t.Fatalf("terraform %s succeeded against a hostile server:\n%s", args[0], acctest.Tail(out))
		}
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("terraform %s: the error does not match %s:\n%s", args[0], want, acctest.Tail(out))
		}
		if i := strings.IndexFunc(out, func(r rune) bool {
			return (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) || (r >= 0x202a && r <= 0x202e)
		}); i >= 0 {
			t.Errorf("terraform %s: the output holds control character %U", args[0], []rune(out[i:])[0])
		}
		return out
	}

	cli.MustRun("apply", "-auto-approve", "-input=false")

	// A create refused with a 422 whose every field repeats the token and the sealed value.
	fake.SetHostile(fakegithub.Hostile{EchoRequests: true})
	setConfig(config(1, `
resource "ghsecrets_org_actions_secret" "c" {
  secret_name             = "HOSTILE_C"
  visibility              = "selected"
  value_wo                = var.value
  selected_repository_ids = [`+fmt.Sprint(r0)+`, 999999]
}
`))
	failing(`(?s)Error Creating Organization Secret.*HOSTILE_C.*422\s+Unprocessable\s+Entity.*Repository\s+id\s+999999\s+is\s+not\s+a\s+repository.*\[REDACTED\]`,
		"apply", "-auto-approve", "-input=false")
	if len(fake.Echoed()) == 0 {
		t.Fatal("the fake echoed nothing: the scan would prove nothing")
	}

	// A value write redirected to another port of the same host.
	fake.SetHostile(fakegithub.Hostile{EchoRequests: true, RedirectWritesTo: other.URL})
	setConfig(config(2, ""))
	out := failing(`(?s)Error Updating Organization Secret.*HOSTILE_A.*307\s+Temporary\s+Redirect.*redirected\s+to\s+host\s+`+
		regexp.QuoteMeta(otherHost), "apply", "-auto-approve", "-input=false")
	if strings.Contains(out, "access_token") {
		t.Error("the redirect error repeats the redirect's query")
	}

	// The refresh's reads redirected: the plan fails and drops nothing.
	fake.SetHostile(fakegithub.Hostile{EchoRequests: true, RedirectReadsTo: other.URL})
	failing(`(?s)Error Reading Organization Secret.*HOSTILE_[AB].*301\s+Moved\s+Permanently.*redirected\s+to\s+host\s+`+
		regexp.QuoteMeta(otherHost), "plan", "-input=false")

	fake.SetHostile(fakegithub.Hostile{})
	cli.MustRun("apply", "-auto-approve", "-input=false")
	if out, code := cli.Run("plan", "-detailed-exitcode", "-input=false"); code != 0 {
		t.Errorf("plan after the server behaves again exited %d, want 0:\n%s", code, acctest.Tail(out))
	}
	if got, ok := fake.SecretValue(testOrg, "HOSTILE_A"); !ok || string(got) != value {
		t.Error("HOSTILE_A does not hold the configured value")
	}
	cli.CheckStateFiles()
	cli.MustRun("destroy", "-auto-approve", "-input=false")
	if n := elsewhere.Load(); n > 0 {
		t.Errorf("the other port received %d requests", n)
	}
}

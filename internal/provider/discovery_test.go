package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// discovery is a working directory for terraform query against env's fake,
// with the provider served in-process.
type discovery struct {
	t   *testing.T
	env *testEnv
	cli *acctest.Workdir
}

func newDiscovery(t *testing.T, env *testEnv) discovery {
	t.Helper()
	cli := acctest.NewCLIInProcess(t, testProviderFactories, env.config(""))
	cli.MustRun("init", "-input=false")
	return discovery{t: t, env: env, cli: cli}
}

// queryRun is what one terraform query -json said: the display names of
// each list block's results, its diagnostics, and the requests it cost.
type queryRun struct {
	out      string
	code     int
	found    map[string][]string // by list block address
	diags    []queryDiag
	requests []fakegithub.Request
}

type queryDiag struct {
	Severity, Summary, Detail, Address string
}

// query runs terraform query -json with blocks as the only .tfquery.hcl
// file.
func (d discovery) query(blocks string) queryRun {
	d.t.Helper()
	if err := os.WriteFile(filepath.Join(d.cli.Dir, "find.tfquery.hcl"), []byte(blocks), 0o600); err != nil {
		d.t.Fatal(err)
	}
	d.env.fake.ResetRequests()
	run := queryRun{found: map[string][]string{}}
	run.out, run.code = d.cli.Run("query", "-json")
	run.requests = d.env.fake.Requests()
	for _, line := range strings.Split(run.out, "\n") {
		var msg struct {
			Type  string `json:"type"`
			Found struct {
				Address     string `json:"address"`
				DisplayName string `json:"display_name"`
			} `json:"list_resource_found"`
			Diagnostic queryDiag `json:"diagnostic"`
		}
		if json.Unmarshal([]byte(line), &msg) != nil {
			continue
		}
		switch msg.Type {
		case "list_resource_found":
			run.found[msg.Found.Address] = append(run.found[msg.Found.Address], msg.Found.DisplayName)
		case "diagnostic":
			run.diags = append(run.diags, msg.Diagnostic)
		}
	}
	return run
}

// said is how many of the run's diagnostics of severity match re (in
// their summary and detail).
func (r queryRun) said(severity, re string) int {
	n := 0
	for _, d := range r.diags {
		if d.Severity == severity && regexp.MustCompile(re).MatchString(d.Summary+": "+d.Detail) {
			n++
		}
	}
	return n
}

// listBlockOf is a list block of typ named name with config lines.
func listBlockOf(typ, name string, limit int, config ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "list %q %q {\n  provider = ghsecrets\n", typ, name)
	if limit > 0 {
		fmt.Fprintf(&b, "  limit    = %d\n", limit)
	}
	if len(config) > 0 {
		fmt.Fprintf(&b, "  config {\n    %s\n  }\n", strings.Join(config, "\n    "))
	}
	b.WriteString("}\n")
	return b.String()
}

// TestAccDiscovery_unreadablePlaces: in an organization shaped like real
// ones, the token cannot read some of the repositories it sees (write for
// secrets, admin for Codespaces secrets) and an environment it lists
// answers 404 for its secrets. terraform query lists everything else, names
// each place left out once with the reason, and says the result is partial;
// on_incomplete = "error" fails instead; a token that can read no
// repository at all is an error, as a bad token is.
func TestAccDiscovery_unreadablePlaces(t *testing.T) {
	skipBelowQuery(t)
	t.Parallel()
	env := newTestEnv(t)
	f := env.fake
	for _, repo := range []string{"api", "web", "worker"} {
		f.Repo("actions", testOrg, repo).PutSecretOutOfBand("R_"+strings.ToUpper(repo), []byte("v"))
		f.Repo("codespaces", testOrg, repo).PutSecretOutOfBand("C_"+strings.ToUpper(repo), []byte("v"))
	}
	f.AddEnvironment(testOrg, "api", "production")
	f.AddEnvironment(testOrg, "web", "production")
	f.AddEnvironment(testOrg, "worker", "vanishing")
	f.AddEnvironment(testOrg, "worker", "staging")
	f.Env(testOrg, "api", "production").PutSecretOutOfBand("E_API", []byte("v"))
	f.Env(testOrg, "web", "production").PutSecretOutOfBand("E_WEB", []byte("v"))
	f.Env(testOrg, "worker", "vanishing").PutSecretOutOfBand("E_GONE", []byte("v"))
	f.Env(testOrg, "worker", "staging").PutSecretOutOfBand("E_WORKER", []byte("v"))
	// web: the token's user reads the code only; worker: a collaborator,
	// not an admin.
	f.SetRepositoryRole(testOrg, "web", fakegithub.RoleRead)
	f.SetRepositoryRole(testOrg, "worker", fakegithub.RoleWrite)
	env.interceptWith(func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.Contains(r.URL.EscapedPath(), "/environments/vanishing/secrets") {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}`))
		return true
	})
	d := newDiscovery(t, env)

	blocks := listBlockOf("ghsecrets_repository_actions_secret", "repo", 0) +
		listBlockOf("ghsecrets_repository_codespaces_secret", "codespaces", 0) +
		listBlockOf("ghsecrets_environment_actions_secret", "env", 0)
	run := d.query(blocks)
	if run.code != 0 {
		t.Fatalf("terraform query exited %d, want 0 with warnings:\n%s", run.code, acctest.Tail(run.out))
	}
	for addr, want := range map[string]string{
		"list.ghsecrets_repository_actions_secret.repo":          "api:R_API worker:R_WORKER",
		"list.ghsecrets_repository_codespaces_secret.codespaces": "api:C_API",
		"list.ghsecrets_environment_actions_secret.env":          "api:production:E_API worker:staging:E_WORKER",
	} {
		if got := strings.Join(slices.Sorted(slices.Values(run.found[addr])), " "); got != want {
			t.Errorf("%s found %q, want %q:\n%s", addr, got, want, acctest.Tail(run.out))
		}
	}
	// Each place left out is named once, with the reason.
	for re, want := range map[string]int{
		`cannot read the secrets of repository acme/web \(Actions\).*403 Forbidden: Must have admin rights`: 1,
		`cannot read the secrets of repository acme/web \(Codespaces\)`:                                     1,
		`cannot read the secrets of repository acme/worker \(Codespaces\)`:                                  1,
		`cannot read the secrets of environment "production" of repository acme/web`:                        1,
		`Environment "vanishing" of repository acme/worker was listed but is gone.*404`:                     1,
		`^Secrets Left Out Of The Listing: `:                                                                5,
		`^Partial Listing`:                                                                                  3,
		`repository_actions_secret listing is partial: it holds 2 results.*1 the token cannot read`:         1,
	} {
		if n := run.said("warning", re); n != want {
			t.Errorf("the query warned %q %d times, want %d:\n%s", re, n, want, acctest.Tail(run.out))
		}
	}
	if n := f.CountWrites(); n != 0 {
		t.Errorf("discovery wrote %d times", n)
	}

	// All or nothing, when the list block asks for it.
	run = d.query(listBlockOf("ghsecrets_repository_actions_secret", "strict", 0, `on_incomplete = "error"`))
	if run.code == 0 || run.said("error", `cannot read the secrets of repository acme/web.*on_incomplete is "error"`) != 1 {
		t.Errorf("on_incomplete = \"error\" did not fail naming acme/web (exit %d):\n%s", run.code, acctest.Tail(run.out))
	}

	// No repository readable at all is the token's failure, not a partial
	// listing.
	for _, repo := range []string{"api", "worker"} {
		f.SetRepositoryRole(testOrg, repo, fakegithub.RoleRead)
	}
	run = d.query(listBlockOf("ghsecrets_repository_actions_secret", "none", 0))
	if run.code == 0 || run.said("error", `could not read the ghsecrets_repository_actions_secret secrets of any of the 3 places`) != 1 {
		t.Errorf("a token that can read no repository did not fail the query (exit %d):\n%s", run.code, acctest.Tail(run.out))
	}
}

// requestsTo counts the requests whose path starts with prefix.
func requestsTo(reqs []fakegithub.Request, prefix string) int {
	n := 0
	for _, r := range reqs {
		if strings.HasPrefix(r.Path, prefix) {
			n++
		}
	}
	return n
}

// TestAccDiscovery_contradictoryListing: an environment holds 100 secrets
// (GitHub's most) and the organization 230, and their listings drop every
// second secret while total_count still counts them. The list resource
// reads such a listing once more; when the second reading holds together
// it gives every secret and says nothing, and when it contradicts itself
// again it gives what it got with a warning naming the place and the
// partial mark. The data sources, which feed other resources, fail rather
// than give a short list.
func TestAccDiscovery_contradictoryListing(t *testing.T) {
	skipBelowQuery(t)
	t.Parallel()
	env := newTestEnv(t)
	env.fake.AddEnvironment(testOrg, "api", "production")
	for i := range 100 {
		env.fake.Env(testOrg, "api", "production").PutSecretOutOfBand(fmt.Sprintf("S_%03d", i), []byte("v"))
	}
	for i := range 230 {
		env.fake.PutSecretOutOfBand(testOrg, fmt.Sprintf("O_%03d", i), []byte("v"), visibilityPrivate, nil)
	}
	d := newDiscovery(t, env)
	for _, c := range []struct {
		typ, config, listing, place, data string
		secrets, pages, listed            int
	}{
		{
			typ: "ghsecrets_environment_actions_secret", config: `repositories = ["api"]`,
			listing: "/repos/acme/api/environments/production/secrets",
			place:   `environment "production" of repository acme/api`,
			data:    "data \"ghsecrets_environment_actions_secrets\" \"it\" {\n  repository  = \"api\"\n  environment = \"production\"\n}\n",
			secrets: 100, pages: 1, listed: 50,
		},
		{
			typ: "ghsecrets_org_actions_secret", listing: "/orgs/acme/actions/secrets",
			place:   `organization acme \(Actions\)`,
			data:    "data \"ghsecrets_org_actions_secrets\" \"it\" {}\n",
			secrets: 230, pages: 3, listed: 115,
		},
	} {
		var config []string
		if c.config != "" {
			config = append(config, c.config)
		}
		block := listBlockOf(c.typ, "it", 1000, config...)
		addr := "list." + c.typ + ".it"

		// A listing that contradicts itself on the first reading only.
		env.fake.SetListingFaults(fakegithub.ListingFaults{DropEvery: 2, PathPrefix: c.listing, Pages: c.pages})
		run := d.query(block)
		if run.code != 0 || len(run.found[addr]) != c.secrets || run.said("warning", ".") != 0 {
			t.Errorf("%s: after a contradiction the second reading should give all %d secrets without a warning; got %d (exit %d):\n%s",
				c.typ, c.secrets, len(run.found[addr]), run.code, acctest.Tail(run.out))
		}
		if n := requestsTo(run.requests, c.listing); n != 2*c.pages {
			t.Errorf("%s: reading the listing twice cost %d requests, want %d", c.typ, n, 2*c.pages)
		}

		// One that contradicts itself every time.
		env.fake.SetListingFaults(fakegithub.ListingFaults{DropEvery: 2, PathPrefix: c.listing})
		run = d.query(block)
		if run.code != 0 || len(run.found[addr]) != c.listed {
			t.Errorf("%s: the list resource gave %d secrets (exit %d), want the %d listed:\n%s",
				c.typ, len(run.found[addr]), run.code, c.listed, acctest.Tail(run.out))
		}
		for re, want := range map[string]int{
			fmt.Sprintf(`listing of the secrets of %s contradicted itself on two readings.*reported %d but listed %d`, c.place, c.secrets, c.listed): 1,
			`^Partial Listing: .*1 whose listing GitHub contradicted twice`:                                                                          1,
		} {
			if n := run.said("warning", re); n != want {
				t.Errorf("%s: the query warned %q %d times, want %d:\n%s", c.typ, re, n, want, acctest.Tail(run.out))
			}
		}
		if n := requestsTo(run.requests, c.listing); n != 2*c.pages {
			t.Errorf("%s: the contradicted listing cost %d requests, want %d: read twice, no more", c.typ, n, 2*c.pages)
		}

		// The data source: all or nothing.
		d.cli.WriteConfig(env.config(strings.ReplaceAll(c.data+`output "listed" {
  value = length(DATA.it.secrets)
}
`, "DATA", "data."+c.typ+"s")))
		out, code := d.cli.Run("apply", "-auto-approve", "-input=false", "-no-color")
		if code == 0 || !regexp.MustCompile(`(?s)Error Listing.*contradicted itself on two.*readings`).MatchString(out) {
			t.Errorf("%s: the data source did not fail on a listing that contradicts itself twice (exit %d):\n%s", c.typ, code, acctest.Tail(out))
		}
		env.fake.SetListingFaults(fakegithub.ListingFaults{DropEvery: 2, PathPrefix: c.listing, Pages: c.pages})
		d.cli.MustRun("apply", "-auto-approve", "-input=false")
		if got := strings.TrimSpace(d.cli.MustRun("output", "-raw", "listed")); got != fmt.Sprint(c.secrets) {
			t.Errorf("%s: after one contradicted reading the data source listed %s secrets, want %d", c.typ, got, c.secrets)
		}
		env.fake.SetListingFaults(fakegithub.ListingFaults{})
		d.cli.WriteConfig(env.config(""))
	}
}

// minimumWalk is the fewest requests a list block of a repository row (or
// of environment secrets, env) can find limit secrets starting with prefix
// with, in GitHub's order: a page of the repository list per 100
// repositories it gets to, for environments one listing of each
// repository's, and a page per 100 secrets of each place, until it has
// limit results.
func minimumWalk(e *testEnv, env bool, kind, prefix string, limit int) int {
	repos := e.fake.Repositories(testOrg)
	slices.Reverse(repos) // newest first, as GitHub lists them
	n, got := 0, 0
	for i, r := range repos {
		if i%100 == 0 {
			n++
		}
		var places []fakegithub.ScopeSecrets
		if env {
			n++
			for _, name := range e.fake.Environments(testOrg, r.Name) {
				places = append(places, e.fake.Env(testOrg, r.Name, name))
			}
		} else {
			places = append(places, e.fake.Repo(kind, testOrg, r.Name))
		}
		for _, p := range places {
			n++
			for j, s := range p.Secrets() {
				if j > 0 && j%100 == 0 {
					n++
				}
				if strings.HasPrefix(s.Name, prefix) {
					if got++; got == limit {
						return n
					}
				}
			}
		}
	}
	return n
}

// TestAccDiscovery_limitBoundsRequests: in an organization of 250
// repositories, a list block's limit (with or without a name prefix) ends
// the walk once it has enough results: the query costs the fewest requests
// that find them, not a listing of every repository's environments first.
func TestAccDiscovery_limitBoundsRequests(t *testing.T) {
	skipBelowQuery(t)
	t.Parallel()
	env := newTestEnv(t)
	f := env.fake
	for i := range 247 {
		r := f.AddRepository(testOrg, fmt.Sprintf("svc-%03d", i))
		if i%7 == 3 {
			f.Repo("actions", testOrg, r.Name).PutSecretOutOfBand(fmt.Sprintf("TOKEN_%03d", i), []byte("v"))
		}
		if i%5 == 1 {
			f.AddEnvironment(testOrg, r.Name, "production")
			for j := range 3 {
				f.Env(testOrg, r.Name, "production").PutSecretOutOfBand(fmt.Sprintf("E%d_%03d", j, i), []byte("v"))
			}
		}
		if i == 21 {
			f.Env(testOrg, r.Name, "production").PutSecretOutOfBand("DEPLOY_KEY", []byte("v"))
		}
	}
	d := newDiscovery(t, env)
	for _, c := range []struct {
		typ, prefix string
		limit       int
	}{
		{"ghsecrets_environment_actions_secret", "", 1},
		{"ghsecrets_environment_actions_secret", "", 10},
		{"ghsecrets_environment_actions_secret", "DEPLOY_", 1},
		{"ghsecrets_repository_actions_secret", "", 1},
		{"ghsecrets_repository_actions_secret", "", 20},
	} {
		var config []string
		if c.prefix != "" {
			config = append(config, fmt.Sprintf("name_prefix = %q", c.prefix))
		}
		run := d.query(listBlockOf(c.typ, "some", c.limit, config...))
		addr := "list." + c.typ + ".some"
		if run.code != 0 || len(run.found[addr]) != c.limit {
			t.Errorf("%s limit %d prefix %q found %d (exit %d):\n%s", c.typ, c.limit, c.prefix, len(run.found[addr]), run.code, acctest.Tail(run.out))
			continue
		}
		want := minimumWalk(env, c.typ == "ghsecrets_environment_actions_secret", "actions", c.prefix, c.limit)
		if len(run.requests) != want {
			t.Errorf("%s limit %d prefix %q cost %d requests, want the minimum %d", c.typ, c.limit, c.prefix, len(run.requests), want)
		}
		t.Logf("%s limit %d prefix %q: %d requests (minimum %d)", c.typ, c.limit, c.prefix, len(run.requests), want)
	}
}

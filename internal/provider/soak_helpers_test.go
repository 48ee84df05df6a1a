package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// soakRepos is how many repositories the organization of a soak test has.
const soakRepos = 5

// newSoakEnv serves a fake organization built from opts (token, org and clock
// are filled in) with soakRepos repositories. wrap, when not nil, sits between
// the API description check and the fake, so a test can shape the traffic.
func newSoakEnv(t *testing.T, opts fakegithub.Options, wrap func(http.Handler) http.Handler) *testEnv {
	t.Helper()
	names := make([]string, soakRepos)
	for i := range names {
		names[i] = fmt.Sprintf("service-%d", i)
	}
	opts.Orgs = []string{testOrg}
	return serveFake(t, opts, names, wrap)
}

// soakSet is the configuration of a soak test: each secret's repository ids
// (sorted) and value, by secret name.
type soakSet struct {
	repos  map[string][]int64
	values map[string]string
}

// newSoakSet names n secrets prefix_000 onwards, each selected for one to
// three of repos and holding a value unique to the test.
func newSoakSet(t *testing.T, prefix string, n int, repos []fakegithub.Repository) soakSet {
	t.Helper()
	s := soakSet{repos: map[string][]int64{}, values: map[string]string{}}
	for i := range n {
		name := fmt.Sprintf("%s_%03d", prefix, i)
		var ids []int64
		for k := range 1 + i%3 {
			ids = append(ids, repos[(i+k)%len(repos)].ID)
		}
		slices.Sort(ids)
		s.repos[name] = ids
		s.values[name] = testPlaintext(t, strings.ToLower(name))
	}
	return s
}

func (s soakSet) names() []string {
	names := make([]string, 0, len(s.repos))
	for name := range s.repos {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// variables passes the values through the ephemeral map variable "values".
func (s soakSet) variables() config.Variables {
	m := map[string]config.Variable{}
	for name, v := range s.values {
		m[name] = config.StringVariable(v)
	}
	return config.Variables{"values": config.MapVariable(m)}
}

// config is the whole configuration: the provider (with providerArgs, one
// argument per line), the ephemeral variable and a secret with its
// repository list for each entry of a local list, in names order. The
// resources use count, not for_each: the testing framework's state shim
// (Check, CheckDestroy and its own destroy) rejects string instance keys.
func (s soakSet) config(providerArgs ...string) string {
	return s.head(providerArgs) + `
resource "ghsecrets_org_actions_secret" "soak" {
  count            = length(local.secrets)
  secret_name      = local.secrets[count.index].name
  visibility       = "selected"
  value_wo         = var.values[local.secrets[count.index].name]
  value_wo_version = 1
}

resource "ghsecrets_org_actions_secret_repositories" "soak" {
  count                   = length(local.secrets)
  secret_name             = ghsecrets_org_actions_secret.soak[count.index].secret_name
  selected_repository_ids = local.secrets[count.index].repos
}
`
}

// inlineConfig is config with each secret's list on the secret itself.
func (s soakSet) inlineConfig(providerArgs ...string) string {
	return s.head(providerArgs) + `
resource "ghsecrets_org_actions_secret" "soak" {
  count                   = length(local.secrets)
  secret_name             = local.secrets[count.index].name
  visibility              = "selected"
  value_wo                = var.values[local.secrets[count.index].name]
  value_wo_version        = 1
  selected_repository_ids = local.secrets[count.index].repos
}
`
}

// head is what both configurations share: provider, variable and the list
// of secrets.
func (s soakSet) head(providerArgs []string) string {
	var b strings.Builder
	b.WriteString(requiredProviders)
	b.WriteString("provider \"ghsecrets\" {\n")
	for _, line := range providerArgs {
		b.WriteString("  " + line + "\n")
	}
	b.WriteString(`}

variable "values" {
  type      = map(string)
  sensitive = true
  ephemeral = true
}

locals {
  secrets = [
`)
	for _, name := range s.names() {
		ids := make([]string, len(s.repos[name]))
		for i, id := range s.repos[name] {
			ids[i] = strconv.FormatInt(id, 10)
		}
		fmt.Fprintf(&b, "    { name = %q, repos = [%s] },\n", name, strings.Join(ids, ", "))
	}
	b.WriteString("  ]\n}\n")
	return b.String()
}

// secretAddr and listAddr are the addresses of a secret's resources.
func (s soakSet) secretAddr(name string) string {
	return fmt.Sprintf("ghsecrets_org_actions_secret.soak[%d]", slices.Index(s.names(), name))
}

func (s soakSet) listAddr(name string) string {
	return fmt.Sprintf("ghsecrets_org_actions_secret_repositories.soak[%d]", slices.Index(s.names(), name))
}

// checkFake reports every way the fake differs from the configuration: a
// configured secret missing or holding another value, visibility or
// repository list, or a secret that is not configured at all.
func (s soakSet) checkFake(fake *fakegithub.Server) error {
	var problems []string
	for _, name := range s.names() {
		info, ok := fake.Secret(testOrg, name)
		if !ok {
			problems = append(problems, name+" does not exist")
			continue
		}
		if got, _ := fake.SecretValue(testOrg, name); string(got) != s.values[name] {
			problems = append(problems, fmt.Sprintf("%s holds a value of %d bytes that is not the configured one", name, len(got)))
		}
		if info.Visibility != "selected" {
			problems = append(problems, fmt.Sprintf("%s has visibility %q", name, info.Visibility))
		}
		if !slices.Equal(info.SelectedRepositoryIDs, s.repos[name]) {
			problems = append(problems, fmt.Sprintf("%s has repositories %v, want %v", name, info.SelectedRepositoryIDs, s.repos[name]))
		}
	}
	for _, info := range fake.Secrets(testOrg) {
		if _, ok := s.repos[info.Name]; !ok {
			problems = append(problems, info.Name+" exists but is not configured")
		}
	}
	return problemsError("the fake GitHub", problems)
}

func problemsError(where string, problems []string) error {
	if len(problems) == 0 {
		return nil
	}
	const shown = 10
	more := ""
	if len(problems) > shown {
		more = fmt.Sprintf(" (and %d more)", len(problems)-shown)
		problems = problems[:shown]
	}
	return fmt.Errorf("%s disagrees with the configuration in %d ways%s: %s", where, len(problems), more, strings.Join(problems, "; "))
}

// stateResources is what the state holds of a soak configuration: for each
// resource type, the attributes of each instance.
type stateResources map[string][]map[string]any

// checkState reports every way state differs from the configuration: each
// secret and each repository list present exactly once, with the configured
// name, visibility and ids, and nothing else.
func (s soakSet) checkState(got stateResources) error {
	var problems []string
	byName := func(typ string) map[string]map[string]any {
		out := map[string]map[string]any{}
		for _, attrs := range got[typ] {
			name, _ := attrs["secret_name"].(string)
			if _, dup := out[name]; dup {
				problems = append(problems, fmt.Sprintf("%s %q is in state twice", typ, name))
			}
			if _, ok := s.repos[name]; !ok {
				problems = append(problems, fmt.Sprintf("%s %q is not configured", typ, name))
			}
			out[name] = attrs
		}
		return out
	}
	secrets, lists := byName("ghsecrets_org_actions_secret"), byName("ghsecrets_org_actions_secret_repositories")
	for typ := range got {
		if typ != "ghsecrets_org_actions_secret" && typ != "ghsecrets_org_actions_secret_repositories" {
			problems = append(problems, "state holds "+typ)
		}
	}
	for _, name := range s.names() {
		sec, ok := secrets[name]
		switch {
		case !ok:
			problems = append(problems, "secret "+name+" is missing")
		case sec["visibility"] != "selected" || sec["id"] != name:
			problems = append(problems, fmt.Sprintf("secret %s has id %v and visibility %v", name, sec["id"], sec["visibility"]))
		}
		list, ok := lists[name]
		if !ok {
			problems = append(problems, "repository list "+name+" is missing")
			continue
		}
		if ids, err := int64s(list["selected_repository_ids"]); err != nil || !slices.Equal(ids, s.repos[name]) {
			problems = append(problems, fmt.Sprintf("repository list %s holds %v, want %v", name, list["selected_repository_ids"], s.repos[name]))
		}
	}
	return problemsError("state", problems)
}

// int64s reads a JSON list of numbers, sorted.
func int64s(v any) ([]int64, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%T is not a list", v)
	}
	out := make([]int64, 0, len(list))
	for _, x := range list {
		switch n := x.(type) {
		case float64:
			out = append(out, int64(n))
		case json.Number:
			i, err := n.Int64()
			if err != nil {
				return nil, err
			}
			out = append(out, i)
		default:
			return nil, fmt.Errorf("%T is not a number", x)
		}
	}
	slices.Sort(out)
	return out, nil
}

// soakStateCheck runs checkState on the state the testing framework reads.
type soakStateCheck struct{ set soakSet }

var _ statecheck.StateCheck = soakStateCheck{}

func (c soakStateCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		resp.Error = fmt.Errorf("state has no root module")
		return
	}
	got := stateResources{}
	for _, r := range req.State.Values.RootModule.Resources {
		got[r.Type] = append(got[r.Type], r.AttributeValues)
	}
	resp.Error = c.set.checkState(got)
}

// secondaryInjector answers the next read of the org public key, once armed,
// with GitHub's secondary-rate-limit rejection and Retry-After: 1. The fake's
// own limits cannot be used for this: the client learns a per-minute budget
// from any rejection in proportion to what the endpoint carried in the last
// minute, so a concurrency rejection a few seconds into an apply slows it to
// a few writes a minute. The first key read of a command has nothing before
// it on its endpoint, so rejecting it only pauses the client for a second.
type secondaryInjector struct {
	armed    atomic.Bool
	rejected atomic.Int64
}

// arm makes the next public key read fail once.
func (s *secondaryInjector) arm() { s.armed.Store(true) }

func (s *secondaryInjector) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/actions/secrets/public-key") || !s.armed.Swap(false) {
			next.ServeHTTP(w, r)
			return
		}
		s.rejected.Add(1)
		w.Header().Set("Retry-After", "1")
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",` +
			`"documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`))
	})
}

// hclMap renders values as an HCL object, for a TF_VAR_ of a map variable.
func hclMap(values map[string]string) string {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%q = %q", k, values[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

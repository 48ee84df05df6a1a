package client

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// variableFixture is the registry fixture's fake and client (traffic
// checked on both sides against the description), with an environment.
func variableFixture(t *testing.T) *registryFixture {
	t.Helper()
	f := newRegistryFixture(t, fakegithub.Options{}, RetryPolicy{}, nil)
	f.fake.AddEnvironment(registryOrg, "api", "prod")
	return f
}

// TestVariablesLifecycle: in every scope that has variables, a variable is
// created (a POST that never overwrites: a second create of the name is a
// 409), read with its value, changed, renamed, and deleted; an organization
// variable carries its visibility and list.
func TestVariablesLifecycle(t *testing.T) {
	t.Parallel()
	f := variableFixture(t)
	ctx := t.Context()
	scopes := []struct {
		scope           Scope
		kind, repo, env string
	}{
		{must(must(OrgScope(Actions, registryOrg)).Variables()), "actions", "", ""},
		{must(must(OrgScope(Agents, registryOrg)).Variables()), "agents", "", ""},
		{must(must(RepoScope(Actions, registryOrg, "api")).Variables()), "actions", "api", ""},
		{must(must(RepoScope(Agents, registryOrg, "api")).Variables()), "agents", "api", ""},
		{must(must(EnvScope(registryOrg, "api", "prod")).Variables()), "actions", "api", "prod"},
	}
	for _, sc := range scopes {
		a := must(sc.scope.Secret("npm_registry_url"))
		w := VariableWrite{Value: Ptr("https://npm.example.com/")}
		if sc.scope.IsOrg() {
			w.Visibility, w.SelectedRepositoryIDs = Ptr("selected"), []int64{f.repos[0].ID}
		}
		if res, err := f.c.CreateVariable(ctx, a, w); err != nil || !res.Created {
			t.Fatalf("%v: create: %+v, %v", a, res, err)
		}
		if _, err := f.c.CreateVariable(ctx, a, w); !IsConflict(err) {
			t.Errorf("%v: a second create: %v, want a 409", a, err)
		}
		got, err := f.c.GetVariable(ctx, a)
		if err != nil || got.Name != "NPM_REGISTRY_URL" || got.Value != "https://npm.example.com/" {
			t.Fatalf("%v: get %+v, %v", a, got, err)
		}
		if sc.scope.IsOrg() {
			if ids := must(f.c.SelectedRepositoryIDs(ctx, a)); !slices.Equal(ids, []int64{f.repos[0].ID}) {
				t.Errorf("%v: list %v", a, ids)
			}
		}
		if _, err := f.c.UpdateVariable(ctx, a, VariableWrite{Value: Ptr("https://npm2.example.com/")}); err != nil {
			t.Fatalf("%v: update: %v", a, err)
		}
		renamed := must(sc.scope.Secret("REGISTRY_URL"))
		if _, err := f.c.UpdateVariable(ctx, a, VariableWrite{Name: Ptr("registry_url")}); err != nil {
			t.Fatalf("%v: rename: %v", a, err)
		}
		held, ok := f.fake.Variable(sc.kind, registryOrg, sc.repo, sc.env, "REGISTRY_URL")
		if !ok || held.Value != "https://npm2.example.com/" {
			t.Errorf("%v: the fake holds %+v, %v", renamed, held, ok)
		}
		if _, err := f.c.GetVariable(ctx, a); !IsNotFound(err) {
			t.Errorf("%v: the old name after a rename: %v", a, err)
		}
		if err := f.c.DeleteVariable(ctx, renamed); err != nil {
			t.Fatalf("%v: delete: %v", renamed, err)
		}
		if got := f.fake.Variables(sc.kind, registryOrg, sc.repo, sc.env); len(got) != 0 {
			t.Errorf("%v: left %v", sc.scope, got)
		}
	}
	// A variable and a secret of one name are different things.
	secrets := must(OrgScope(Actions, registryOrg))
	if _, err := f.c.LookupSecret(ctx, must(secrets.Secret("REGISTRY_URL"))); !IsNotFound(err) {
		t.Errorf("a variable's name found among the secrets: %v", err)
	}
	if _, err := f.c.GetVariable(ctx, must(secrets.Secret("X"))); err == nil || !strings.Contains(err.Error(), "Scope.Variables") {
		t.Errorf("a variable call on a secrets scope: %v", err)
	}
}

// TestLookupVariableReadsPagesOf30: the lookups of a run share one listing
// of the scope's variables, 30 a page, not a request each; a variable the
// client wrote since, or the listing lacks, is read on its own.
func TestLookupVariableReadsPagesOf30(t *testing.T) {
	t.Parallel()
	f := variableFixture(t)
	ctx := t.Context()
	scope := must(must(RepoScope(Actions, registryOrg, "api")).Variables())
	for i := range 65 {
		f.fake.PutVariableOutOfBand("actions", registryOrg, "api", "", fakegithub.VariableInfo{Name: fmt.Sprintf("V%02d", i), Value: "v"})
	}
	f.fake.ResetRequests()
	for i := range 65 {
		got, err := f.c.LookupVariable(ctx, must(scope.Secret(fmt.Sprintf("v%02d", i))))
		if err != nil || got.Value != "v" {
			t.Fatalf("V%02d: %+v, %v", i, got, err)
		}
	}
	reqs := f.fake.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests for 65 lookups, want 3 pages of 30: %v", len(reqs), reqs)
	}
	for _, r := range reqs {
		if r.Method != http.MethodGet || !strings.Contains(r.Query, "per_page=30") {
			t.Errorf("request %+v is not a page of 30", r)
		}
	}
	a := must(scope.Secret("V00"))
	if _, err := f.c.UpdateVariable(ctx, a, VariableWrite{Value: Ptr("changed")}); err != nil {
		t.Fatal(err)
	}
	if got := must(f.c.LookupVariable(ctx, a)); got.Value != "changed" {
		t.Errorf("a variable written since the listing reads %q", got.Value)
	}
	f.fake.PutVariableOutOfBand("actions", registryOrg, "api", "", fakegithub.VariableInfo{Name: "LATE", Value: "late"})
	if got, err := f.c.LookupVariable(ctx, must(scope.Secret("LATE"))); err != nil || got.Value != "late" {
		t.Errorf("a variable made after the listing: %+v, %v", got, err)
	}
	if _, err := f.c.LookupVariable(ctx, must(scope.Secret("NOT_THERE"))); !IsNotFound(err) {
		t.Errorf("a variable that does not exist: %v", err)
	}
}

// TestCreateVariableAfterLostAnswer: a create is a POST that GitHub refuses
// once the name is in use, so it is never sent again blindly. After an
// answer lost once GitHub made the variable, the client reads the variable
// and adopts it; after a 5xx that made nothing, it sends the create again;
// a variable of the name that holds another value is no create of ours and
// fails the create, naming it.
func TestCreateVariableAfterLostAnswer(t *testing.T) {
	t.Parallel()
	a := must(must(must(RepoScope(Actions, registryOrg, "api")).Variables()).Secret("npm_registry_url"))
	w := VariableWrite{Value: Ptr("https://npm.example.com/")}
	const (
		post = "POST /repos/acme/api/actions/variables"
		get  = "GET /repos/acme/api/actions/variables/npm_registry_url"
	)
	t.Run("answer lost after the work", func(t *testing.T) {
		t.Parallel()
		f := variableFixture(t)
		f.fake.DropAnswers(http.MethodPost, "/repos/{owner}/{repo}/actions/variables", 1)
		if res, err := f.c.CreateVariable(t.Context(), a, w); err != nil || !res.Created {
			t.Fatalf("create: %+v, %v", res, err)
		}
		if got, want := requestLog(f.fake), []string{post + " 0", get + " 200"}; !slices.Equal(got, want) {
			t.Errorf("requests %v, want %v", got, want)
		}
		if got := f.fake.Variables("actions", registryOrg, "api", ""); len(got) != 1 {
			t.Errorf("variables %+v, want the one created", got)
		}
	})
	t.Run("5xx that made nothing", func(t *testing.T) {
		t.Parallel()
		f := newRegistryFixture(t, fakegithub.Options{}, RetryPolicy{}, failFirstPost(0))
		f.fake.AddEnvironment(registryOrg, "api", "prod")
		if res, err := f.c.CreateVariable(t.Context(), a, w); err != nil || !res.Created {
			t.Fatalf("create: %+v, %v", res, err)
		}
		if got, want := requestLog(f.fake), []string{get + " 404", post + " 201"}; !slices.Equal(got, want) {
			t.Errorf("requests %v, want %v (the failed POST never reached the fake)", got, want)
		}
	})
	t.Run("another value under the name", func(t *testing.T) {
		t.Parallel()
		f := newRegistryFixture(t, fakegithub.Options{}, RetryPolicy{}, failFirstPost(0))
		f.fake.PutVariableOutOfBand("actions", registryOrg, "api", "", fakegithub.VariableInfo{Name: "NPM_REGISTRY_URL", Value: "theirs"})
		_, err := f.c.CreateVariable(t.Context(), a, w)
		if err == nil || !strings.Contains(err.Error(), "NPM_REGISTRY_URL") || !strings.Contains(err.Error(), "502") {
			t.Fatalf("create: %v, want an error naming the variable and the 502", err)
		}
		if v, _ := f.fake.Variable("actions", registryOrg, "api", "", "NPM_REGISTRY_URL"); v.Value != "theirs" {
			t.Errorf("the variable holds %q: overwritten", v.Value)
		}
	})
}

// TestRenameVariableAfterLostAnswer: a rename is not sent twice (the old
// name is gone once GitHub did it): after a lost answer the client reads
// the new name, and a variable there holding the value is the rename done.
func TestRenameVariableAfterLostAnswer(t *testing.T) {
	t.Parallel()
	f := variableFixture(t)
	ctx := t.Context()
	scope := must(must(RepoScope(Actions, registryOrg, "api")).Variables())
	a := must(scope.Secret("NPM_REGISTRY_URL"))
	if _, err := f.c.CreateVariable(ctx, a, VariableWrite{Value: Ptr("v")}); err != nil {
		t.Fatal(err)
	}
	f.fake.ResetRequests()
	f.fake.DropAnswers(http.MethodPatch, "/repos/{owner}/{repo}/actions/variables/{name}", 1)
	if _, err := f.c.UpdateVariable(ctx, a, VariableWrite{Name: Ptr("REGISTRY_URL"), Value: Ptr("w")}); err != nil {
		t.Fatalf("rename: %v", err)
	}
	want := []string{"PATCH /repos/acme/api/actions/variables/NPM_REGISTRY_URL 0", "GET /repos/acme/api/actions/variables/REGISTRY_URL 200"}
	if got := requestLog(f.fake); !slices.Equal(got, want) {
		t.Errorf("requests %v, want %v", got, want)
	}
	if v, ok := f.fake.Variable("actions", registryOrg, "api", "", "REGISTRY_URL"); !ok || v.Value != "w" {
		t.Errorf("the fake holds %+v, %v", v, ok)
	}
}

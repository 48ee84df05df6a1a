package fakegithub

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

const docsListOrgRepos = "https://docs.github.com/rest/repos/repos#list-organization-repositories"

type orgRepo struct {
	ID          int64  `json:"id"`
	NodeID      string `json:"node_id"`
	Name        string `json:"name"`
	FullName    string `json:"full_name"`
	Private     bool   `json:"private"`
	Visibility  string `json:"visibility"`
	Archived    bool   `json:"archived"`
	Disabled    bool   `json:"disabled"`
	Fork        bool   `json:"fork"`
	HTMLURL     string `json:"html_url"`
	URL         string `json:"url"`
	BranchesURL string `json:"branches_url"`
	Owner       struct {
		Login     string `json:"login"`
		ID        int64  `json:"id"`
		Type      string `json:"type"`
		ReposURL  string `json:"repos_url"`
		AvatarURL string `json:"avatar_url"`
	} `json:"owner"`
}

func decodeRepos(t *testing.T, res response) []orgRepo {
	t.Helper()
	wantStatus(t, res, http.StatusOK)
	var repos []orgRepo
	if err := json.Unmarshal(res.body, &repos); err != nil {
		t.Fatalf("body %s is not a JSON array of repositories: %v", res.body, err)
	}
	return repos
}

func repoNames(repos []orgRepo) []string {
	names := make([]string, len(repos))
	for i, r := range repos {
		names[i] = r.Name
	}
	return names
}

// newReposFixture adds to the fixture's api, web and worker a public fork,
// an archived internal repository and one named in upper case.
func newReposFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	f.fake.AddRepositoryWith(testOrg, Repository{Name: "docs", Fork: true})
	f.fake.AddRepositoryWith(testOrg, Repository{Name: "legacy", Visibility: "internal", Archived: true})
	f.fake.AddRepositoryWith(testOrg, Repository{Name: "Billing", Private: true})
	return f
}

func TestListOrgRepositoriesObject(t *testing.T) {
	t.Parallel()
	f := newReposFixture(t)
	for _, prefix := range []string{"", "/api/v3"} {
		t.Run("prefix "+prefix, func(t *testing.T) {
			repos := decodeRepos(t, f.do(t, "GET", prefix+"/orgs/octo-org/repos?sort=full_name", nil))
			if got, want := repoNames(repos), []string{"api", "Billing", "docs", "legacy", "web", "worker"}; !slices.Equal(got, want) {
				t.Fatalf("names %v, want %v", got, want)
			}
			legacy := repos[3]
			if legacy.Visibility != "internal" || !legacy.Private || !legacy.Archived || legacy.Fork || legacy.Disabled {
				t.Errorf("legacy = %+v, want internal, private, archived, not a fork", legacy)
			}
			if repos[2].Visibility != "public" || repos[2].Private || !repos[2].Fork {
				t.Errorf("docs = %+v, want a public fork", repos[2])
			}
			if repos[1].Visibility != "private" || !repos[1].Private {
				t.Errorf("Billing = %+v, want private", repos[1])
			}
			api := repos[0]
			if api.ID != f.repos[0].ID || api.FullName != testOrg+"/api" || api.NodeID == "" {
				t.Errorf("api = %+v", api)
			}
			if api.Owner.Login != testOrg || api.Owner.Type != "Organization" || api.Owner.ID == 0 {
				t.Errorf("owner = %+v", api.Owner)
			}
			if want := f.url + prefix + "/repos/" + testOrg + "/api"; api.URL != want {
				t.Errorf("url %q, want %q", api.URL, want)
			}
			if want := f.url + "/" + testOrg + "/api"; api.HTMLURL != want {
				t.Errorf("html_url %q, want %q", api.HTMLURL, want)
			}
			if want := f.url + prefix + "/repos/" + testOrg + "/api/branches{/branch}"; api.BranchesURL != want {
				t.Errorf("branches_url %q, want %q", api.BranchesURL, want)
			}
			if want := f.url + prefix + "/users/" + testOrg + "/repos"; api.Owner.ReposURL != want {
				t.Errorf("owner repos_url %q, want %q", api.Owner.ReposURL, want)
			}
			if want := fmt.Sprintf("%s/avatars/u/%d?v=4", f.url, api.Owner.ID); api.Owner.AvatarURL != want {
				t.Errorf("owner avatar_url %q, want %q", api.Owner.AvatarURL, want)
			}
		})
	}
}

func TestListOrgRepositoriesFiltersAndOrder(t *testing.T) {
	t.Parallel()
	f := newReposFixture(t)
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"Billing", "legacy", "docs", "worker", "web", "api"}}, // newest first
		{"?sort=created&direction=asc", []string{"api", "web", "worker", "docs", "legacy", "Billing"}},
		{"?sort=updated", []string{"Billing", "legacy", "docs", "worker", "web", "api"}},
		{"?sort=full_name", []string{"api", "Billing", "docs", "legacy", "web", "worker"}},
		{"?sort=full_name&direction=desc", []string{"worker", "web", "legacy", "docs", "Billing", "api"}},
		{"?type=all&sort=full_name", []string{"api", "Billing", "docs", "legacy", "web", "worker"}},
		{"?type=member&sort=full_name", []string{"api", "Billing", "docs", "legacy", "web", "worker"}},
		{"?type=public&sort=full_name", []string{"api", "docs", "web", "worker"}},
		{"?type=private&sort=full_name", []string{"Billing", "legacy"}},
		{"?type=forks", []string{"docs"}},
		{"?type=sources&sort=full_name", []string{"api", "Billing", "legacy", "web", "worker"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			repos := decodeRepos(t, f.do(t, "GET", "/orgs/"+testOrg+"/repos"+tt.query, nil))
			if got := repoNames(repos); !slices.Equal(got, tt.want) {
				t.Errorf("names %v, want %v", got, tt.want)
			}
		})
	}
}

func TestListOrgRepositoriesPages(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for i := range 47 {
		f.fake.AddRepository(testOrg, fmt.Sprintf("svc-%02d", i))
	}
	// 50 repositories: 30 by default, then 20.
	first := f.do(t, "GET", "/orgs/"+testOrg+"/repos", nil)
	if n := len(decodeRepos(t, first)); n != 30 {
		t.Fatalf("default page has %d repositories, want 30", n)
	}
	link := first.header.Get("Link")
	wantNext := fmt.Sprintf(`<%s/orgs/%s/repos?page=2>; rel="next"`, f.url, testOrg)
	if !strings.Contains(link, wantNext) || !strings.Contains(link, `rel="last"`) {
		t.Fatalf("Link %q, want it to contain %s and a last link", link, wantNext)
	}

	seen := map[int64]bool{}
	for page := 1; page <= 3; page++ {
		res := f.do(t, "GET", fmt.Sprintf("/api/v3/orgs/%s/repos?per_page=20&page=%d", testOrg, page), nil)
		repos := decodeRepos(t, res)
		if want := []int{20, 20, 10}[page-1]; len(repos) != want {
			t.Fatalf("page %d has %d repositories, want %d", page, len(repos), want)
		}
		for _, r := range repos {
			if seen[r.ID] {
				t.Fatalf("repository %s on two pages", r.Name)
			}
			seen[r.ID] = true
		}
		hasNext := strings.Contains(res.header.Get("Link"), `rel="next"`)
		if hasNext != (page < 3) {
			t.Fatalf("page %d: Link %q", page, res.header.Get("Link"))
		}
		if page > 1 && !strings.Contains(res.header.Get("Link"), "/api/v3/orgs/") {
			t.Fatalf("page %d: Link %q lost the /api/v3 prefix", page, res.header.Get("Link"))
		}
	}

	big := decodeRepos(t, f.do(t, "GET", "/orgs/"+testOrg+"/repos?per_page=500", nil))
	if len(big) != 50 {
		t.Fatalf("per_page=500 gave %d repositories, want all 50 (clamped to 100)", len(big))
	}
	if past := decodeRepos(t, f.do(t, "GET", "/orgs/"+testOrg+"/repos?page=9", nil)); len(past) != 0 {
		t.Fatalf("a page past the end has %d repositories, want none", len(past))
	}
}

func TestListOrgRepositoriesErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tests := []struct {
		name    string
		method  string
		path    string
		auth    string
		status  int
		message string
		docs    string
	}{
		{"unknown org", "GET", "/orgs/nobody/repos", "Bearer " + testToken, 404, "Not Found", docsListOrgRepos},
		{"bad token", "GET", "/orgs/" + testOrg + "/repos", "Bearer nope", 401, "Bad credentials", docsRoot},
		{"bad type", "GET", "/orgs/" + testOrg + "/repos?type=everything", "Bearer " + testToken, 422,
			`Invalid value for type: "everything" is not one of all, public, private, forks, sources, member.`, docsListOrgRepos},
		{"bad sort", "GET", "/orgs/" + testOrg + "/repos?sort=name", "Bearer " + testToken, 422,
			`Invalid value for sort: "name" is not one of created, updated, pushed, full_name.`, docsListOrgRepos},
		{"bad direction", "GET", "/orgs/" + testOrg + "/repos?direction=up", "Bearer " + testToken, 422,
			`Invalid value for direction: "up" is not one of asc, desc.`, docsListOrgRepos},
		{"other method", "DELETE", "/orgs/" + testOrg + "/repos", "Bearer " + testToken, 404, "Not Found", docsRoot},
		{"trailing segment", "GET", "/orgs/" + testOrg + "/repos/api", "Bearer " + testToken, 404, "Not Found", docsRoot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantError(t, f.doAuth(t, tt.method, tt.path, nil, tt.auth), tt.status, tt.message, tt.docs)
		})
	}
}

func TestAddRepositoryWith(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	got := f.fake.AddRepositoryWith(testOrg, Repository{Name: "vault", Visibility: "internal", ID: 7, FullName: "ignored"})
	if got.ID != f.repos[2].ID+1 || got.FullName != testOrg+"/vault" || !got.Private || got.Visibility != "internal" {
		t.Fatalf("AddRepositoryWith = %+v", got)
	}
	if !slices.Contains(f.fake.Repositories(testOrg), got) {
		t.Fatalf("repository %+v not listed by Repositories", got)
	}

	panics := []struct {
		name string
		repo Repository
	}{
		{"existing name in another case", Repository{Name: "API"}},
		{"unknown visibility", Repository{Name: "x", Visibility: "secret"}},
		{"empty name", Repository{}},
	}
	for _, tt := range panics {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			f.fake.AddRepositoryWith(testOrg, tt.repo)
		})
	}
}

package client

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

func TestListOrgRepositoriesPages(t *testing.T) {
	t.Parallel()
	fake := fakegithub.New(fakegithub.Options{Token: testToken, Orgs: []string{"acme"}})
	want := map[int64]string{}
	for i := range 150 {
		r := fake.AddRepository("acme", fmt.Sprintf("svc-%03d", i))
		want[r.ID] = r.Name
	}
	archived := fake.AddRepositoryWith("acme", fakegithub.Repository{Name: "old", Visibility: "internal", Archived: true})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL + "/api/v3", Token: testToken})
	if err != nil {
		t.Fatal(err)
	}

	repos, err := c.ListOrgRepositories(t.Context(), "ACME")
	if err != nil {
		t.Fatal(err)
	}
	if len(repos) != 151 {
		t.Fatalf("%d repositories, want 151", len(repos))
	}
	for _, r := range repos {
		if r.ID == archived.ID {
			if r.Name != "old" || r.FullName != "acme/old" || r.Visibility != "internal" || !r.Private || !r.Archived {
				t.Errorf("archived repository = %+v", r)
			}
			continue
		}
		if want[r.ID] != r.Name || r.Visibility != "public" || r.Private || r.Archived {
			t.Errorf("repository = %+v, want %s, public, not archived", r, want[r.ID])
		}
		delete(want, r.ID)
	}
	if len(want) != 0 {
		t.Errorf("%d repositories missing", len(want))
	}

	var pages []string
	for _, r := range fake.Requests() {
		pages = append(pages, r.Method+" "+r.Path+"?"+r.Query)
	}
	wantPages := []string{"GET /orgs/ACME/repos?per_page=100", "GET /orgs/ACME/repos?page=2&per_page=100"}
	if !slices.Equal(pages, wantPages) {
		t.Errorf("requests %q, want %q", pages, wantPages)
	}
}

func TestListOrgRepositoriesAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    []OrgRepository
		wantErr string
	}{
		{
			name: "duplicate across pages and missing visibility",
			handler: func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Query().Get("page") == "" {
					w.Header().Set("Link", `<http://`+r.Host+`/api/v3/orgs/acme/repos?per_page=100&page=2>; rel="next"`)
					writeJSON(w, http.StatusOK, []map[string]any{{"id": 2, "name": "b"}, {"id": 1, "name": "a", "private": true}})
					return
				}
				// A repository created meanwhile pushed "a" onto page 2.
				writeJSON(w, http.StatusOK, []map[string]any{{"id": 1, "name": "a", "private": true}})
			},
			want: []OrgRepository{{ID: 2, Name: "b", Visibility: "public"}, {ID: 1, Name: "a", Private: true, Visibility: "private"}},
		},
		{
			name: "unknown org",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusNotFound, map[string]any{"message": "Not Found"})
			},
			wantErr: "GET /api/v3/orgs/acme/repos: 404 Not Found: Not Found",
		},
		{
			name: "object instead of array",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, map[string]any{"total_count": 0})
			},
			wantErr: "decoding response body",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, tt.handler)
			got, err := c.ListOrgRepositories(t.Context(), "acme")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	c := newTestClient(t, http.NotFoundHandler())
	if _, err := c.ListOrgRepositories(t.Context(), ""); err == nil {
		t.Fatal("an empty org was not refused")
	}
}

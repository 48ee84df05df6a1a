package client

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestParseLink(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		values []string
		want   map[string]string
	}{
		{name: "none", values: nil, want: map[string]string{}},
		{name: "empty", values: []string{""}, want: map[string]string{}},
		{
			name: "github style",
			values: []string{`<https://api.github.com/orgs/acme/actions/secrets?per_page=100&page=2>; rel="next", ` +
				`<https://api.github.com/orgs/acme/actions/secrets?per_page=100&page=5>; rel="last"`},
			want: map[string]string{
				"next": "https://api.github.com/orgs/acme/actions/secrets?per_page=100&page=2",
				"last": "https://api.github.com/orgs/acme/actions/secrets?per_page=100&page=5",
			},
		},
		{
			name:   "unquoted rel, odd spacing and case",
			values: []string{`<https://x/a?page=3>;REL=Next ,<https://x/a?page=1>  ;  rel="first"`},
			want:   map[string]string{"next": "https://x/a?page=3", "first": "https://x/a?page=1"},
		},
		{
			name:   "several rel values",
			values: []string{`<https://x/a?page=2>; rel="next last"`},
			want:   map[string]string{"next": "https://x/a?page=2", "last": "https://x/a?page=2"},
		},
		{
			name:   "other params and a quoted comma",
			values: []string{`<https://x/a?page=2>; title="a, b; c"; rel="next", <https://x/a?page=1>; rel="prev"`},
			want:   map[string]string{"next": "https://x/a?page=2", "prev": "https://x/a?page=1"},
		},
		{
			name:   "comma inside the URI",
			values: []string{`<https://x/a?ids=1,2&page=2>; rel="next"`},
			want:   map[string]string{"next": "https://x/a?ids=1,2&page=2"},
		},
		{
			name:   "split over header lines, first wins",
			values: []string{`<https://x/a?page=2>; rel="next"`, `<https://x/a?page=9>; rel="next", <https://x/a?page=9>; rel="last"`},
			want:   map[string]string{"next": "https://x/a?page=2", "last": "https://x/a?page=9"},
		},
		{name: "no rel", values: []string{`<https://x/a?page=2>; title="x"`}, want: map[string]string{}},
		{name: "unterminated", values: []string{`<https://x/a?page=2; rel="next"`}, want: map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := parseLink(tt.values); !maps.Equal(got, tt.want) {
				t.Errorf("parseLink(%q) = %v, want %v", tt.values, got, tt.want)
			}
		})
	}
}

func TestListOrgSecretsFollowsLinks(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		srvURL := "http://" + r.Host
		if r.URL.Path != "/api/v3/orgs/acme/actions/secrets" {
			http.NotFound(w, r)
			return
		}
		page := r.URL.Query().Get("page")
		if page == "" {
			page = "1"
		}
		next := map[string]string{"1": "2", "2": "3"}[page]
		if next != "" {
			w.Header().Set("Link", fmt.Sprintf(`<%s/api/v3/orgs/acme/actions/secrets?per_page=100&page=%s>; rel="next", <%s/api/v3/orgs/acme/actions/secrets?per_page=100&page=3>; rel="last"`, srvURL, next, srvURL))
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"total_count": 5,
			"secrets": []map[string]any{
				{"name": "S" + page + "A", "visibility": "all", "created_at": "2024-01-02T03:04:05Z", "updated_at": "2024-01-02T03:04:05Z", "unknown_field": true},
				{"name": "S" + page + "B", "visibility": "selected", "updated_at": "2024-01-02T03:04:05Z", "selected_repositories_url": "https://x/repos"},
			}[:map[string]int{"1": 2, "2": 2, "3": 1}[page]],
		})
	}))

	got, err := c.ListSecrets(t.Context(), orgScope(Actions, "acme"))
	if err != nil {
		t.Fatalf("ListOrgSecrets: %v", err)
	}
	var names []string
	for _, s := range got {
		names = append(names, s.Name)
	}
	if want := "S1A S1B S2A S2B S3A"; strings.Join(names, " ") != want {
		t.Errorf("names = %v, want %s", names, want)
	}
	if got[0].CreatedAt.Year() != 2024 || got[1].SelectedRepositoriesURL != "https://x/repos" {
		t.Errorf("fields not decoded: %+v", got[:2])
	}
	reqs := rec.all()
	if len(reqs) != 3 {
		t.Fatalf("got %d requests, want 3", len(reqs))
	}
	for i, r := range reqs {
		q, _ := url.ParseQuery(r.Query)
		if q.Get("per_page") != "100" {
			t.Errorf("request %d: per_page = %q, want 100", i, q.Get("per_page"))
		}
	}
}

func TestListEmpty(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"total_count": 0, "secrets": []any{}})
	}))
	got, err := c.ListSecrets(t.Context(), orgScope(Actions, "acme"))
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || len(got) != 0 {
		t.Fatalf("got %#v, want an empty non-nil slice", got)
	}
}

func TestListPaginationGuards(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		next     func(srvURL string, r *http.Request) string // Link target
		wantErr  string
		maxCalls int
	}{
		{
			name: "next repeats a fetched page",
			next: func(srvURL string, r *http.Request) string {
				if r.URL.Query().Get("page") == "2" {
					return srvURL + "/api/v3/orgs/acme/actions/secrets?per_page=100" // back to page 1
				}
				return srvURL + "/api/v3/orgs/acme/actions/secrets?per_page=100&page=2"
			},
			wantErr:  "repeats an already fetched page",
			maxCalls: 2,
		},
		{
			name: "next points at itself",
			next: func(srvURL string, r *http.Request) string {
				return srvURL + r.URL.RequestURI()
			},
			wantErr:  "repeats an already fetched page",
			maxCalls: 1,
		},
		{
			name: "next points at another host",
			next: func(string, *http.Request) string {
				return "https://evil.example.com/api/v3/orgs/acme/actions/secrets?page=2"
			},
			wantErr:  "not the configured API host",
			maxCalls: 1,
		},
		{
			name: "next changes the scheme",
			next: func(srvURL string, r *http.Request) string {
				return strings.Replace(srvURL, "http://", "https://", 1) + "/api/v3/orgs/acme/actions/secrets?page=2"
			},
			wantErr:  "not the configured API host",
			maxCalls: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec.record(r)
				srvURL := "http://" + r.Host
				if len(rec.all()) > 10 {
					http.Error(w, "too many", http.StatusTeapot)
					return
				}
				w.Header().Set("Link", `<`+tt.next(srvURL, r)+`>; rel="next"`)
				writeJSON(w, http.StatusOK, map[string]any{"total_count": 1, "secrets": []any{map[string]any{"name": "A", "visibility": "all", "created_at": "2020-01-01T00:00:00Z", "updated_at": "2020-01-01T00:00:00Z"}}})
			}))
			_, err := c.ListSecrets(t.Context(), orgScope(Actions, "acme"))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want containing %q", err, tt.wantErr)
			}
			if n := len(rec.all()); n > tt.maxCalls {
				t.Errorf("made %d requests, want at most %d", n, tt.maxCalls)
			}
		})
	}
}

func TestSameOrigin(t *testing.T) {
	t.Parallel()
	base, _ := url.Parse("https://api.github.com/")
	tests := []struct {
		u    string
		want bool
	}{
		{"https://api.github.com/x", true},
		{"https://API.github.com:443/x", true},
		{"https://api.github.com:8443/x", false},
		{"http://api.github.com/x", false},
		{"https://api.github.com.evil.com/x", false},
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.u)
		if got := sameOrigin(u, base); got != tt.want {
			t.Errorf("sameOrigin(%q) = %v, want %v", tt.u, got, tt.want)
		}
	}
}

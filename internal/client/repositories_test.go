package client

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestSetSelectedRepositoriesBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ids  []int64
		want string
	}{
		{name: "nil", ids: nil, want: `{"selected_repository_ids":[]}`},
		{name: "empty", ids: []int64{}, want: `{"selected_repository_ids":[]}`},
		{name: "two", ids: []int64{64780797, 1}, want: `{"selected_repository_ids":[64780797,1]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec.record(r)
				w.WriteHeader(http.StatusNoContent)
			}))
			if _, err := c.SetSelectedRepositories(t.Context(), orgSecret(Actions, "acme", "FOO"), tt.ids); err != nil {
				t.Fatal(err)
			}
			r := rec.all()[0]
			if r.Method != http.MethodPut || r.Path != "/api/v3/orgs/acme/actions/secrets/FOO/repositories" {
				t.Errorf("request = %s %s", r.Method, r.Path)
			}
			if got := strings.TrimSpace(string(r.Body)); got != tt.want {
				t.Errorf("body = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestAddRemoveSelectedRepository(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		call         func(ctx context.Context, c *Client) error
		status       int
		wantMethod   string
		wantConflict bool
	}{
		{
			name: "add",
			call: func(ctx context.Context, c *Client) error {
				return c.AddSelectedRepository(ctx, orgSecret(Actions, "acme", "FOO"), 1296269)
			},
			status:     http.StatusNoContent,
			wantMethod: http.MethodPut,
		},
		{
			name: "remove",
			call: func(ctx context.Context, c *Client) error {
				return c.RemoveSelectedRepository(ctx, orgSecret(Actions, "acme", "FOO"), 1296269)
			},
			status:     http.StatusNoContent,
			wantMethod: http.MethodDelete,
		},
		{
			name: "add when visibility is not selected",
			call: func(ctx context.Context, c *Client) error {
				return c.AddSelectedRepository(ctx, orgSecret(Actions, "acme", "FOO"), 1296269)
			},
			status:       http.StatusConflict,
			wantMethod:   http.MethodPut,
			wantConflict: true,
		},
		{
			name: "remove when visibility is not selected",
			call: func(ctx context.Context, c *Client) error {
				return c.RemoveSelectedRepository(ctx, orgSecret(Actions, "acme", "FOO"), 1296269)
			},
			status:       http.StatusConflict,
			wantMethod:   http.MethodDelete,
			wantConflict: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec.record(r)
				if tt.status == http.StatusConflict {
					writeJSON(w, tt.status, map[string]any{"message": "Visibility is not selected"})
					return
				}
				w.WriteHeader(tt.status)
			}))
			err := tt.call(t.Context(), c)
			if got := IsConflict(err); got != tt.wantConflict {
				t.Fatalf("error = %v, want conflict %v", err, tt.wantConflict)
			}
			if !tt.wantConflict && err != nil {
				t.Fatal(err)
			}
			r := rec.all()[0]
			if r.Method != tt.wantMethod || r.Path != "/api/v3/orgs/acme/actions/secrets/FOO/repositories/1296269" {
				t.Errorf("request = %s %s", r.Method, r.Path)
			}
			if len(r.Body) != 0 {
				t.Errorf("unexpected body %q", r.Body)
			}
		})
	}
}

func TestListSelectedRepositories(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v3/orgs/acme/actions/secrets/FOO/repositories" {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("page") == "" {
			w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?per_page=100&page=2>; rel="next"`, r.Host, r.URL.Path))
			writeJSON(w, http.StatusOK, map[string]any{"total_count": 2, "repositories": []any{
				map[string]any{"id": 1296269, "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5", "name": "Hello-World", "full_name": "acme/Hello-World", "private": true, "owner": map[string]any{}},
			}})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"total_count": 2, "repositories": []any{
			map[string]any{"id": 2, "name": "two", "full_name": "acme/two"},
		}})
	}))
	got, err := c.ListSelectedRepositories(t.Context(), orgSecret(Actions, "acme", "FOO"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Repository{
		{ID: 1296269, NodeID: "MDEwOlJlcG9zaXRvcnkxMjk2MjY5", Name: "Hello-World", FullName: "acme/Hello-World", Private: true},
		{ID: 2, Name: "two", FullName: "acme/two"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("repo %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

func newViewFixture(t *testing.T, secrets int) (*fakegithub.Server, *client.Client) {
	t.Helper()
	fake := fakegithub.New(fakegithub.Options{Token: benchToken, Orgs: []string{benchOrg}})
	for i := range secrets {
		fake.PutSecretOutOfBand(benchOrg, fmt.Sprintf("S%04d", i), []byte("v"), "all", nil)
	}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{BaseURL: srv.URL, Token: benchToken})
	if err != nil {
		t.Fatal(err)
	}
	fake.ResetRequests()
	return fake, c
}

func TestLookupOrgSecretReadsTheListOnce(t *testing.T) {
	t.Parallel()
	fake, c := newViewFixture(t, 250)

	var wg sync.WaitGroup
	errs := make(chan error, 250)
	for i := range 250 {
		wg.Go(func() {
			s, err := c.LookupSecret(t.Context(), orgSecret(fmt.Sprintf("s%04d", i)))
			if err != nil {
				errs <- err
				return
			}
			if want := fmt.Sprintf("S%04d", i); s.Name != want || s.Visibility != "all" || s.UpdatedAt.IsZero() {
				errs <- fmt.Errorf("lookup %d = %+v, want %s", i, s, want)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// 250 secrets are three pages of 100; no per-secret GET.
	if got := fake.CountRequests(""); got != 3 {
		t.Errorf("%d requests for 250 lookups, want 3 list pages", got)
	}

	_, err := c.LookupSecret(t.Context(), orgSecret("MISSING"))
	if !client.IsNotFound(err) {
		t.Errorf("missing secret: err = %v, want a 404", err)
	}
	if got := fake.CountRequests(""); got != 3 {
		t.Errorf("a miss cost %d more requests, want none", got-3)
	}
}

func TestLookupOrgSecretSeesOwnWrites(t *testing.T) {
	t.Parallel()
	fake, c := newViewFixture(t, 3)
	before, err := c.LookupSecret(t.Context(), orgSecret("S0001"))
	if err != nil {
		t.Fatal(err)
	}

	if _, err := c.SetSecretValue(t.Context(), orgSecret("s0001"), []byte("new"), "private", nil); err != nil {
		t.Fatal(err)
	}
	after, err := c.LookupSecret(t.Context(), orgSecret("S0001"))
	if err != nil {
		t.Fatal(err)
	}
	if after.Visibility != "private" || !after.UpdatedAt.After(before.UpdatedAt) {
		t.Errorf("after our write: %+v, want private and updated after %v", after, before.UpdatedAt)
	}

	if err := c.DeleteSecret(t.Context(), orgSecret("S0002")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.LookupSecret(t.Context(), orgSecret("S0002")); !client.IsNotFound(err) {
		t.Errorf("after our delete: err = %v, want a 404", err)
	}

	// Others' changes after the listing are not seen within this Client's life:
	// one plan works from one consistent listing.
	fake.PutSecretOutOfBand(benchOrg, "S0000", []byte("x"), "private", nil)
	s, err := c.LookupSecret(t.Context(), orgSecret("S0000"))
	if err != nil || s.Visibility != "all" {
		t.Errorf("out-of-band change: %+v, %v; want the listed visibility all", s, err)
	}
	if got := fake.CountRequests("GET"); got != 4 { // list, key, GET S0001, GET S0002
		t.Errorf("%d GETs, want 4", got)
	}
}

func TestLookupOrgSecretCancelled(t *testing.T) {
	t.Parallel()
	_, c := newViewFixture(t, 1)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.LookupSecret(ctx, orgSecret("S0000")); err == nil {
		t.Fatal("lookup with a cancelled context succeeded")
	}
	// The abandoned listing is not cached as a failure.
	if _, err := c.LookupSecret(t.Context(), orgSecret("S0000")); err != nil {
		t.Fatalf("lookup after a cancelled one: %v", err)
	}
}

// doctoredListing serves the fake, but answers the org's secret list with
// what doctor makes of the fake's own answer (nil keeps it).
func doctoredListing(t *testing.T, fake *fakegithub.Server, doctor func(total int, secrets []map[string]any) any) *client.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/actions/secrets") {
			fake.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, r)
		var page struct {
			TotalCount int              `json:"total_count"`
			Secrets    []map[string]any `json:"secrets"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
			t.Errorf("the fake's listing: %v", err)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_ = json.NewEncoder(w).Encode(doctor(page.TotalCount, page.Secrets))
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{BaseURL: srv.URL, Token: benchToken})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestLookupConfirmsWhatAContradictoryListingLacks: a listing whose items
// disagree with its own total_count, or that lacks a secret this Client has
// written, is no evidence that a secret is gone; a direct read decides. A
// listing that holds together still answers alone (see
// TestLookupOrgSecretReadsTheListOnce).
func TestLookupConfirmsWhatAContradictoryListingLacks(t *testing.T) {
	t.Parallel()
	drop := func(names ...string) func(int, []map[string]any) []map[string]any {
		return func(_ int, secrets []map[string]any) []map[string]any {
			var kept []map[string]any
			for _, s := range secrets {
				if name, _ := s["name"].(string); !slices.Contains(names, name) {
					kept = append(kept, s)
				}
			}
			return kept
		}
	}
	tests := []struct {
		name   string
		doctor func(total int, secrets []map[string]any) any
		// wrote is written through the Client before the first lookup.
		wrote string
	}{
		{name: "total_count 3, no secrets", doctor: func(total int, _ []map[string]any) any {
			return map[string]any{"total_count": total, "secrets": []any{}}
		}},
		{name: "a page short of its total_count", doctor: func(total int, secrets []map[string]any) any {
			return map[string]any{"total_count": total, "secrets": drop("S0001")(total, secrets)}
		}},
		{name: "a listing without a secret this Client wrote", wrote: "S0002", doctor: func(total int, secrets []map[string]any) any {
			kept := drop("S0001", "S0002")(total, secrets)
			return map[string]any{"total_count": len(kept), "secrets": kept}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := fakegithub.New(fakegithub.Options{Token: benchToken, Orgs: []string{benchOrg}})
			for i := range 3 {
				fake.PutSecretOutOfBand(benchOrg, fmt.Sprintf("S%04d", i), []byte("v"), "all", nil)
			}
			c := doctoredListing(t, fake, tt.doctor)
			if tt.wrote != "" {
				if _, err := c.SetSecretValue(t.Context(), orgSecret(tt.wrote), []byte("w"), "all", nil); err != nil {
					t.Fatal(err)
				}
			}
			s, err := c.LookupSecret(t.Context(), orgSecret("S0001"))
			if err != nil || s.Name != "S0001" {
				t.Fatalf("LookupOrgSecret(S0001) = %+v, %v; want the secret, which exists", s, err)
			}
			if _, err := c.LookupSecret(t.Context(), orgSecret("NEVER_WAS")); !client.IsNotFound(err) {
				t.Errorf("LookupOrgSecret(NEVER_WAS) = %v, want a 404 confirmed by a direct read", err)
			}
		})
	}
}

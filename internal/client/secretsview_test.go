package client_test

import (
	"context"
	"fmt"
	"net/http/httptest"
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
			s, err := c.LookupOrgSecret(t.Context(), benchOrg, fmt.Sprintf("s%04d", i))
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

	_, err := c.LookupOrgSecret(t.Context(), benchOrg, "MISSING")
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
	before, err := c.LookupOrgSecret(t.Context(), benchOrg, "S0001")
	if err != nil {
		t.Fatal(err)
	}

	if _, err := c.SetOrgSecretValue(t.Context(), benchOrg, "s0001", []byte("new"), "private", nil); err != nil {
		t.Fatal(err)
	}
	after, err := c.LookupOrgSecret(t.Context(), benchOrg, "S0001")
	if err != nil {
		t.Fatal(err)
	}
	if after.Visibility != "private" || !after.UpdatedAt.After(before.UpdatedAt) {
		t.Errorf("after our write: %+v, want private and updated after %v", after, before.UpdatedAt)
	}

	if err := c.DeleteOrgSecret(t.Context(), benchOrg, "S0002"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.LookupOrgSecret(t.Context(), benchOrg, "S0002"); !client.IsNotFound(err) {
		t.Errorf("after our delete: err = %v, want a 404", err)
	}

	// Others' changes after the listing are not seen within this Client's life:
	// one plan works from one consistent listing.
	fake.PutSecretOutOfBand(benchOrg, "S0000", []byte("x"), "private", nil)
	s, err := c.LookupOrgSecret(t.Context(), benchOrg, "S0000")
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
	if _, err := c.LookupOrgSecret(ctx, benchOrg, "S0000"); err == nil {
		t.Fatal("lookup with a cancelled context succeeded")
	}
	// The abandoned listing is not cached as a failure.
	if _, err := c.LookupOrgSecret(t.Context(), benchOrg, "S0000"); err != nil {
		t.Fatalf("lookup after a cancelled one: %v", err)
	}
}

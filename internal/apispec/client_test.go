package apispec

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// TestClientConformsBothSides runs every client method against the fake and
// checks what the client sends (at its transport) and what the fake answers
// (at its handler).
func TestClientConformsBothSides(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := fakegithub.New(fakegithub.Options{Token: testToken, Orgs: []string{testOrg}})
	web := fake.AddRepository(testOrg, "web")
	api := fake.AddRepository(testOrg, "api")
	// More than one page of 100, so the client follows Link headers.
	for i := range 120 {
		fake.PutSecretOutOfBand(testOrg, fmt.Sprintf("BULK_%03d", i), []byte("v"), "private", nil)
	}
	fake.AddEnvironment(testOrg, "api", "staging/eu")
	fake.Env(testOrg, "api", "staging/eu").PutSecretOutOfBand("ENV_ONE", []byte("v"))
	serverSide, clientSide := newValidator(t), newValidator(t)
	srv := httptest.NewServer(serverSide.Middleware(fake))
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{
		BaseURL:    srv.URL,
		Token:      testToken,
		HTTPClient: &http.Client{Transport: clientSide.Transport(http.DefaultTransport)},
		Retry:      client.RetryPolicy{MaxRetries: -1, MaxRateLimitWait: -1},
	})
	if err != nil {
		t.Fatal(err)
	}

	steps := []struct {
		name string
		run  func() error
	}{
		{"GetOrgPublicKey", func() error { _, err := c.PublicKey(ctx, orgScope()); return err }},
		{"RefreshOrgPublicKey", func() error { _, err := c.RefreshPublicKey(ctx, orgScope()); return err }},
		{"SetOrgSecretValue create", func() error {
			res, err := c.SetSecretValue(ctx, orgSecret("DEPLOY"), []byte("s3cret"), "selected", []int64{web.ID})
			return want(err, res.Created, "created")
		}},
		{"SetOrgSecretValue update", func() error {
			res, err := c.SetSecretValue(ctx, orgSecret("DEPLOY"), []byte("s3cret2"), "selected", nil)
			return want(err, !res.Created, "updated")
		}},
		{"SetOrgSecretValue after key rotation", func() error {
			fake.RotatePublicKey(testOrg) // the cached key is stale: 422, refresh, re-seal
			_, err := c.SetSecretValue(ctx, orgSecret("DEPLOY"), []byte("s3cret3"), "selected", []int64{})
			return err
		}},
		{"PutOrgSecret", func() error {
			key, err := c.PublicKey(ctx, orgScope())
			if err != nil {
				return err
			}
			sealed, err := client.Seal(key.Key, []byte("plain"))
			if err != nil {
				return err
			}
			_, err = c.PutSecret(ctx, orgSecret("OTHER"), client.SecretWrite{EncryptedValue: sealed, KeyID: key.KeyID, Visibility: "all"})
			return err
		}},
		{"GetOrgSecret", func() error {
			_, err := c.GetSecret(ctx, orgSecret("DEPLOY"))
			return err
		}},
		{"GetOrgSecret missing", func() error {
			_, err := c.GetSecret(ctx, orgSecret("MISSING"))
			return want(nil, client.IsNotFound(err), "404")
		}},
		{"LookupOrgSecret", func() error {
			_, err := c.LookupSecret(ctx, orgSecret("BULK_007"))
			return err
		}},
		{"ListOrgSecrets", func() error {
			list, err := c.ListSecrets(ctx, orgScope())
			return want(err, len(list) == 122, "122 secrets")
		}},
		{"SetSelectedRepositories", func() error {
			_, err := c.SetSelectedRepositories(ctx, orgSecret("DEPLOY"), []int64{web.ID})
			return err
		}},
		{"AddSelectedRepository", func() error {
			return c.AddSelectedRepository(ctx, orgSecret("DEPLOY"), api.ID)
		}},
		{"ListSelectedRepositories", func() error {
			repos, err := c.ListSelectedRepositories(ctx, orgSecret("DEPLOY"))
			return want(err, len(repos) == 2, "2 repositories")
		}},
		{"SelectedRepositoryIDs", func() error {
			ids, err := c.SelectedRepositoryIDs(ctx, orgSecret("DEPLOY"))
			return want(err, slices.Equal(ids, []int64{web.ID, api.ID}), "both ids")
		}},
		{"RemoveSelectedRepository", func() error {
			return c.RemoveSelectedRepository(ctx, orgSecret("DEPLOY"), web.ID)
		}},
		{"AddSelectedRepository to a secret for all", func() error {
			err := c.AddSelectedRepository(ctx, orgSecret("OTHER"), web.ID)
			return want(nil, client.IsConflict(err), "409")
		}},
		{"SetSelectedRepositories empty", func() error {
			_, err := c.SetSelectedRepositories(ctx, orgSecret("DEPLOY"), nil)
			return err
		}},
		{"ListOrgRepositories", func() error {
			repos, err := c.ListOrgRepositories(ctx, testOrg)
			return want(err, len(repos) == 2, "2 repositories")
		}},
		{"OrgRepositoriesOnce", func() error {
			repos, err := c.OrgRepositoriesOnce(ctx, testOrg)
			return want(err, len(repos) == 2, "2 repositories")
		}},
		{"ListEnvironments", func() error {
			envs, err := c.ListEnvironments(ctx, must(client.RepoScope(client.Actions, testOrg, "api")))
			return want(err, len(envs) == 1 && envs[0].Name == "staging/eu", "environment staging/eu")
		}},
		{"ListedSecrets of an environment", func() error {
			list, err := c.ListedSecrets(ctx, must(client.EnvScope(testOrg, "api", "staging/eu")))
			return want(err, len(list) == 1 && list[0].Name == "ENV_ONE", "secret ENV_ONE")
		}},
		{"DeleteOrgSecret", func() error { return c.DeleteSecret(ctx, orgSecret("DEPLOY")) }},
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
	}

	for side, v := range map[string]*Validator{"fake": serverSide, "client": clientSide} {
		if f := v.Failures(); len(f) > 0 {
			t.Errorf("%s side failures:\n%s", side, strings.Join(f, "\n"))
		}
		if v.Checked() < 2*len(steps) {
			t.Errorf("%s side checked %d messages, want at least %d", side, v.Checked(), 2*len(steps))
		}
		// The 404 and 422 answers are not in the description.
		if v.Unspecified() == 0 {
			t.Errorf("%s side counted nothing as unspecified", side)
		}
	}
	if serverSide.Checked() != clientSide.Checked() || serverSide.Unspecified() != clientSide.Unspecified() {
		t.Errorf("the two sides saw different traffic: fake %d checked, %d unspecified; client %d checked, %d unspecified",
			serverSide.Checked(), serverSide.Unspecified(), clientSide.Checked(), clientSide.Unspecified())
	}
}

// want turns a false condition into an error naming what was expected.
func want(err error, ok bool, what string) error {
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("expected %s", what)
	}
	return nil
}

// must is the value of a call that a test knows succeeds.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func orgScope() client.Scope { return must(client.OrgScope(client.Actions, testOrg)) }

func orgSecret(name string) client.Address { return must(orgScope().Secret(name)) }

package client_test

import (
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// A list read with the ETag of an earlier run is answered 304 while the list
// is unchanged, and read in full once it changed.
func TestSelectedRepositoryListConditional(t *testing.T) {
	t.Parallel()
	fake := fakegithub.New(fakegithub.Options{Token: benchToken, Orgs: []string{benchOrg}})
	a, b := fake.AddRepository(benchOrg, "a").ID, fake.AddRepository(benchOrg, "b").ID
	fake.PutSecretOutOfBand(benchOrg, "LISTED", []byte("v"), "selected", []int64{b, a})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	newClient := func() *client.Client {
		c, err := client.New(client.Config{BaseURL: srv.URL, Token: benchToken})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	first, err := newClient().SelectedRepositoryList(t.Context(), orgSecret("listed"), client.RepositoryList{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{a, b}; !slices.Equal(first.IDs, want) || first.ETag == "" {
		t.Fatalf("first read = %+v, want ids %v and an ETag", first, want)
	}

	// A later run (a new Client) presents what the first one saw.
	fake.ResetRequests()
	again, err := newClient().SelectedRepositoryList(t.Context(), orgSecret("LISTED"), first)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again.IDs, first.IDs) || again.ETag != first.ETag {
		t.Errorf("unchanged list = %+v, want %+v", again, first)
	}
	if st := fake.Stats(); st.NotModified != 1 || fake.CountRequests("") != 1 {
		t.Errorf("unchanged list: %d requests, %d answered 304; want 1 and 1", fake.CountRequests(""), st.NotModified)
	}

	fake.SetSelectedRepositoriesOutOfBand(benchOrg, "LISTED", []int64{a})
	changed, err := newClient().SelectedRepositoryList(t.Context(), orgSecret("LISTED"), first)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(changed.IDs, []int64{a}) || changed.ETag == first.ETag || changed.ETag == "" {
		t.Errorf("changed list = %+v, want [%d] with a new ETag", changed, a)
	}
}

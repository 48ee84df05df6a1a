package client

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// waitJoined blocks until n callers besides the first wait on the fetch of
// org/name. It polls, so it asserts no timing; the test deadline bounds it.
func waitJoined(t *testing.T, c *Client, org, name string, n int) {
	t.Helper()
	for {
		joined := c.selected.joined(orgSecret(Actions, org, name).Key())
		if joined >= n {
			return
		}
		if t.Context().Err() != nil {
			t.Fatalf("only %d of %d callers joined the fetch", joined, n)
		}
		runtime.Gosched()
	}
}

func repositoriesBody(ids ...int64) map[string]any {
	repos := make([]map[string]any, len(ids))
	for i, id := range ids {
		repos[i] = map[string]any{"id": id, "name": fmt.Sprintf("r%d", id)}
	}
	return map[string]any{"total_count": len(ids), "repositories": repos}
}

func TestSelectedRepositoryIDsSharesOneRequest(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	release := make(chan struct{})
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		<-release // hold the fetch open until every caller waits on it
		writeJSON(w, http.StatusOK, repositoriesBody(30, 10, 20))
	}))

	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		// Org and secret names are case-insensitive.
		org, name := "acme", "npm_token"
		if i%2 == 1 {
			org, name = "ACME", "NPM_TOKEN"
		}
		wg.Go(func() {
			ids, err := c.SelectedRepositoryIDs(t.Context(), orgSecret(Actions, org, name))
			if err == nil && !slices.Equal(ids, []int64{10, 20, 30}) {
				err = fmt.Errorf("ids = %v, want [10 20 30] sorted", ids)
			}
			errs <- err
		})
	}
	waitJoined(t, c, "acme", "NPM_TOKEN", n-1)
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := calls.Load(); got != 1 {
		t.Fatalf("%d requests for %d concurrent callers, want 1", got, n)
	}

	ids, _ := c.SelectedRepositoryIDs(t.Context(), orgSecret(Actions, "Acme", "Npm_Token"))
	ids[0] = 999
	if again, _ := c.SelectedRepositoryIDs(t.Context(), orgSecret(Actions, "acme", "NPM_TOKEN")); again[0] != 10 {
		t.Fatalf("cache changed through a returned slice: %v", again)
	}
	if got := calls.Load(); got != 1 {
		t.Fatalf("%d requests after cached reads, want 1", got)
	}
}

// newCacheFixture serves a fake org with repositories a, b, c and a selected
// secret NPM_TOKEN holding a.
func newCacheFixture(t *testing.T) (*fakegithub.Server, *Client, []int64) {
	t.Helper()
	fake := fakegithub.New(fakegithub.Options{Token: testToken, Orgs: []string{"acme"}})
	var ids []int64
	for _, name := range []string{"a", "b", "c"} {
		ids = append(ids, fake.AddRepository("acme", name).ID)
	}
	fake.PutSecretOutOfBand("acme", "NPM_TOKEN", []byte("v"), "selected", ids[:1])
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	return fake, c, ids
}

func countListReads(fake *fakegithub.Server, name string) int {
	n := 0
	for _, r := range fake.Requests() {
		if r.Method == http.MethodGet && strings.EqualFold(r.Path, "/orgs/acme/actions/secrets/"+name+"/repositories") {
			n++
		}
	}
	return n
}

func TestSelectedRepositoryIDsSeesOwnWrites(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		write func(ctx context.Context, c *Client, ids []int64) error
		want  func(ids []int64) []int64
	}{
		{
			name: "add",
			write: func(ctx context.Context, c *Client, ids []int64) error {
				return c.AddSelectedRepository(ctx, orgSecret(Actions, "acme", "npm_token"), ids[1])
			},
			want: func(ids []int64) []int64 { return ids[:2] },
		},
		{
			name: "remove",
			write: func(ctx context.Context, c *Client, ids []int64) error {
				return c.RemoveSelectedRepository(ctx, orgSecret(Actions, "ACME", "npm_token"), ids[0])
			},
			want: func([]int64) []int64 { return []int64{} },
		},
		{
			name: "set",
			write: func(ctx context.Context, c *Client, ids []int64) error {
				_, err := c.SetSelectedRepositories(ctx, orgSecret(Actions, "acme", "NPM_TOKEN"), ids[1:])
				return err
			},
			want: func(ids []int64) []int64 { return ids[1:] },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake, c, ids := newCacheFixture(t)
			ctx := t.Context()
			for range 3 {
				got, err := c.SelectedRepositoryIDs(ctx, orgSecret(Actions, "acme", "NPM_TOKEN"))
				if err != nil || !slices.Equal(got, ids[:1]) {
					t.Fatalf("before the write: %v, %v; want %v", got, err, ids[:1])
				}
			}
			if n := countListReads(fake, "NPM_TOKEN"); n != 1 {
				t.Fatalf("%d list reads for three lookups, want 1", n)
			}
			// Another secret's cached list must survive this secret's write.
			fake.PutSecretOutOfBand("acme", "OTHER", []byte("v"), "selected", ids[2:])
			if _, err := c.SelectedRepositoryIDs(ctx, orgSecret(Actions, "acme", "OTHER")); err != nil {
				t.Fatal(err)
			}

			if err := tt.write(ctx, c, ids); err != nil {
				t.Fatalf("write: %v", err)
			}
			got, err := c.SelectedRepositoryIDs(ctx, orgSecret(Actions, "acme", "npm_token"))
			if want := tt.want(ids); err != nil || !slices.Equal(got, want) {
				t.Fatalf("after the write: %v, %v; want %v", got, err, want)
			}
			if n := countListReads(fake, "NPM_TOKEN"); n != 2 {
				t.Fatalf("%d list reads, want 2: one before and one after the write", n)
			}
			if _, err := c.SelectedRepositoryIDs(ctx, orgSecret(Actions, "acme", "OTHER")); err != nil || countListReads(fake, "OTHER") != 1 {
				t.Fatalf("the list of OTHER was read %d times, want once (err %v)", countListReads(fake, "OTHER"), err)
			}
		})
	}
}

func TestSelectedRepositoryIDsWriteDuringRead(t *testing.T) {
	t.Parallel()
	var lists atomic.Int32
	started, release := make(chan struct{}), make(chan struct{})
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if lists.Add(1) == 1 {
			close(started)
			<-release // the first read is still out when the write lands
			writeJSON(w, http.StatusOK, repositoriesBody(1))
			return
		}
		writeJSON(w, http.StatusOK, repositoriesBody(1, 2))
	}))
	first := make(chan []int64)
	go func() {
		ids, _ := c.SelectedRepositoryIDs(t.Context(), orgSecret(Actions, "acme", "FOO"))
		first <- ids
	}()
	<-started
	if err := c.AddSelectedRepository(t.Context(), orgSecret(Actions, "acme", "FOO"), 2); err != nil {
		t.Fatal(err)
	}
	second, err := c.SelectedRepositoryIDs(t.Context(), orgSecret(Actions, "acme", "FOO"))
	if err != nil || !slices.Equal(second, []int64{1, 2}) {
		t.Fatalf("read after the write = %v, %v; want [1 2] from a new request", second, err)
	}
	close(release)
	if ids := <-first; !slices.Equal(ids, []int64{1}) {
		t.Fatalf("the read begun before the write = %v, want [1]", ids)
	}
	// The stale answer of the first read must not replace the fresh one.
	if ids, _ := c.SelectedRepositoryIDs(t.Context(), orgSecret(Actions, "acme", "FOO")); !slices.Equal(ids, []int64{1, 2}) || lists.Load() != 2 {
		t.Fatalf("cached = %v after %d reads, want [1 2] after 2", ids, lists.Load())
	}
}

func TestSelectedRepositoryIDsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    int
		message   string
		wantErr   func(error) bool
		wantCalls int32 // after two lookups
	}{
		{"secret not found is kept", http.StatusNotFound, "Not Found", IsNotFound, 1},
		{"secret not selected is kept", http.StatusConflict, "The secret's visibility must be set to selected", IsConflict, 1},
		{"server error is not kept", http.StatusInternalServerError, "boom", func(err error) bool { return StatusCode(err) == 500 }, 2},
		{"forbidden is not kept", http.StatusForbidden, "Resource not accessible", func(err error) bool { return StatusCode(err) == 403 }, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				writeJSON(w, tt.status, map[string]any{"message": tt.message})
			}))
			for range 2 {
				if _, err := c.SelectedRepositoryIDs(t.Context(), orgSecret(Actions, "acme", "FOO")); !tt.wantErr(err) {
					t.Fatalf("err = %v", err)
				}
			}
			if got := calls.Load(); got != tt.wantCalls {
				t.Fatalf("%d requests for two lookups, want %d", got, tt.wantCalls)
			}
		})
	}
}

func TestSelectedRepositoryIDsAbandonedFetch(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	arrived := make(chan struct{})
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			close(arrived)
			<-r.Context().Done() // the first caller gives up while its read is out
			return
		}
		writeJSON(w, http.StatusOK, repositoriesBody(7))
	}))
	ctx, cancel := context.WithCancel(t.Context())
	firstErr := make(chan error)
	go func() {
		_, err := c.SelectedRepositoryIDs(ctx, orgSecret(Actions, "acme", "FOO"))
		firstErr <- err
	}()
	<-arrived // the first caller runs the fetch; the second joins it
	second := make(chan []int64)
	go func() {
		ids, err := c.SelectedRepositoryIDs(t.Context(), orgSecret(Actions, "acme", "FOO"))
		if err != nil {
			t.Errorf("second caller: %v", err)
		}
		second <- ids
	}()
	waitJoined(t, c, "acme", "FOO", 1)
	cancel()
	if err := <-firstErr; err == nil {
		t.Fatal("the cancelled caller got no error")
	}
	if ids := <-second; !slices.Equal(ids, []int64{7}) {
		t.Fatalf("the second caller got %v, want [7] from its own retry", ids)
	}
	if got := calls.Load(); got != 2 {
		t.Fatalf("%d requests, want 2", got)
	}
}

func TestSelectedCacheIsPerClient(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, http.StatusOK, repositoriesBody(1))
	})
	a := newTestClient(t, h)
	b := newTestClient(t, h)
	for _, c := range []*Client{a, b, a, b} {
		if _, err := c.SelectedRepositoryIDs(t.Context(), orgSecret(Actions, "acme", "FOO")); err != nil {
			t.Fatal(err)
		}
	}
	if got := calls.Load(); got != 2 {
		t.Fatalf("%d requests for two clients, want one each", got)
	}
}

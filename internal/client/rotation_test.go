package client_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

// rotatingFake serves a fake organization whose key rotates whenever rotate
// says so of a request just answered, and a Client for it.
func rotatingFake(t *testing.T, opts fakegithub.Options, retry client.RetryPolicy, rotate func(fakegithub.Request) bool) (*fakegithub.Server, *client.Client) {
	t.Helper()
	opts.Token, opts.Orgs, opts.RateLimitsOff = benchToken, []string{benchOrg}, true
	fake := fakegithub.New(opts)
	fake.SetRequestHook(func(r fakegithub.Request) {
		if rotate(r) {
			fake.RotatePublicKey(benchOrg)
		}
	})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{BaseURL: srv.URL, Token: benchToken, Retry: retry})
	if err != nil {
		t.Fatal(err)
	}
	return fake, c
}

func isKeyRead(r fakegithub.Request) bool {
	return r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/public-key")
}

// TestKeyRotationUnderLoad writes 100 secrets, 10 at a time, while one
// request in ten fails with a server error and the organization key rotates
// after every 37 accepted writes, six times over. Every write must land,
// sealed for the key GitHub held when it accepted it.
func TestKeyRotationUnderLoad(t *testing.T) {
	t.Parallel()
	for run := range 6 {
		t.Run(fmt.Sprint(run), func(t *testing.T) {
			t.Parallel()
			var accepted atomic.Int64
			fake, c := rotatingFake(t, fakegithub.Options{
				Latency: time.Millisecond, LatencyJitter: 4 * time.Millisecond,
				Faults: fakegithub.Faults{ServerErrorRate: 0.1, Seed: int64(run + 1)},
			}, client.RetryPolicy{MinBackoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}, func(r fakegithub.Request) bool {
				return r.Method == http.MethodPut && (r.Status == http.StatusCreated || r.Status == http.StatusNoContent) &&
					accepted.Add(1)%37 == 0
			})
			names := make(chan string)
			var wg sync.WaitGroup
			var mu sync.Mutex
			var failed []string
			for range 10 {
				wg.Go(func() {
					for name := range names {
						if _, err := c.SetSecretValue(t.Context(), orgSecret(name), []byte("value of "+name), "private", nil); err != nil {
							mu.Lock()
							failed = append(failed, name+": "+err.Error())
							mu.Unlock()
						}
					}
				})
			}
			for i := range 100 {
				names <- fmt.Sprintf("S%03d", i)
			}
			close(names)
			wg.Wait()
			if len(failed) > 0 {
				t.Fatalf("%d of 100 writes failed (%d accepted writes, key rotated %d times), first: %s",
					len(failed), accepted.Load(), accepted.Load()/37, failed[0])
			}
			for i := range 100 {
				name := fmt.Sprintf("S%03d", i)
				if got, ok := fake.SecretValue(benchOrg, name); !ok || string(got) != "value of "+name {
					t.Errorf("secret %s does not hold its value", name)
				}
			}
		})
	}
}

// TestKeyRotatesWhileTheRetryIsInFlight rotates the organization key right
// after each of the first two key reads, so the write's first PUT and its
// first re-sealed PUT both meet a key that has just changed. The third,
// sealed for the key read after the second refusal, must land.
func TestKeyRotatesWhileTheRetryIsInFlight(t *testing.T) {
	t.Parallel()
	var keyReads atomic.Int32
	fake, c := rotatingFake(t, fakegithub.Options{}, client.RetryPolicy{}, func(r fakegithub.Request) bool {
		return isKeyRead(r) && keyReads.Add(1) <= 2
	})
	if _, err := c.SetSecretValue(t.Context(), orgSecret("ROTATING"), []byte("v"), "all", nil); err != nil {
		t.Fatalf("SetOrgSecretValue: %v", err)
	}
	if got, ok := fake.SecretValue(benchOrg, "ROTATING"); !ok || string(got) != "v" {
		t.Error("the secret does not hold its value")
	}
	if n := fake.CountRequests(http.MethodPut); n != 3 {
		t.Errorf("%d PUTs, want 3 (two refused for a key that had just rotated)", n)
	}
}

// TestKeyThatNeverSettles rotates the key after every key read: the write
// gives up after five PUTs, saying why, instead of trying forever.
func TestKeyThatNeverSettles(t *testing.T) {
	t.Parallel()
	fake, c := rotatingFake(t, fakegithub.Options{}, client.RetryPolicy{}, isKeyRead)
	_, err := c.SetSecretValue(t.Context(), orgSecret("RESTLESS"), []byte("v"), "all", nil)
	if !client.IsValidation(err) || !strings.Contains(err.Error(), "changed 5 times") {
		t.Fatalf("SetOrgSecretValue = %v, want the 422 and how often the key changed", err)
	}
	if n := fake.CountRequests(http.MethodPut); n != 5 {
		t.Errorf("%d PUTs, want 5", n)
	}
}

// TestOneKeyReadPerRotation: twenty writes sealed for the same key, all
// refused because it rotated, share one read of the new key, whether they
// meet the refusal while that read is in flight or after it is kept, in
// each kind of scope.
func TestOneKeyReadPerRotation(t *testing.T) {
	t.Parallel()
	for _, scope := range []client.Scope{
		orgScope(client.Actions, benchOrg),
		must(client.RepoScope(client.Dependabot, benchOrg, "api")),
		must(client.EnvScope(benchOrg, "api", "prod")),
	} {
		t.Run(must(scope.Secret("S")).String(), func(t *testing.T) {
			t.Parallel()
			fake := fakegithub.New(fakegithub.Options{Token: benchToken, Orgs: []string{benchOrg}, RateLimitsOff: true,
				Latency: 5 * time.Millisecond, LatencyJitter: 10 * time.Millisecond})
			fake.AddRepository(benchOrg, "api")
			fake.AddEnvironment(benchOrg, "api", "prod")
			rotate := func() { fake.Repo(string(scope.Kind()), benchOrg, "api").RotatePublicKey() }
			switch {
			case scope.Level() == client.EnvLevel:
				rotate = func() { fake.Env(benchOrg, "api", "prod").RotatePublicKey() }
			case scope.IsOrg():
				rotate = func() { fake.Kind(string(scope.Kind())).RotatePublicKey(benchOrg) }
			}
			srv := httptest.NewServer(fake)
			t.Cleanup(srv.Close)
			c, err := client.New(client.Config{BaseURL: srv.URL, Token: benchToken})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.PublicKey(t.Context(), scope); err != nil {
				t.Fatal(err)
			}
			rotate()
			fake.ResetRequests()
			var wg sync.WaitGroup
			for i := range 20 {
				wg.Go(func() {
					// Staggered, so some refusals come after the new key is kept.
					time.Sleep(time.Duration(i) * 3 * time.Millisecond)
					if _, err := c.SetSecretValue(t.Context(), must(scope.Secret(fmt.Sprintf("S%02d", i))), []byte("v"), "private", nil); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			reads := 0
			for _, r := range fake.Requests() {
				if isKeyRead(r) {
					reads++
				}
			}
			if reads != 1 {
				t.Errorf("%d key reads after one rotation, want 1", reads)
			}
		})
	}
}

package client_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/fakegithub"
)

const benchOrg, benchToken = "bench-org", "bench-token"

// benchFakeOptions serves a fake that advertises no rate limits, as GitHub
// Enterprise Server by default: these benchmarks count requests and time the
// client's own work, and a fake that advertised limits would have the client
// pace its writes to GitHub's budget (180 a minute per endpoint), which the
// whole-run benchmark (make bench) measures instead.
func benchFakeOptions() fakegithub.Options {
	return fakegithub.Options{Token: benchToken, Orgs: []string{benchOrg}, RateLimitsOff: true}
}

func benchClient(b *testing.B, url string) *client.Client {
	b.Helper()
	c, err := client.New(client.Config{BaseURL: url, Token: benchToken})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkSetOrgSecretValue reports API requests per secret written. The
// "fresh client" case is the baseline without the org key cache; the
// requests/op ratio between the two is what the cache saves.
func BenchmarkSetOrgSecretValue(b *testing.B) {
	for _, tc := range []struct {
		name  string
		fresh bool
	}{{"cached key", false}, {"fresh client", true}} {
		b.Run(tc.name, func(b *testing.B) {
			fake := fakegithub.New(benchFakeOptions())
			srv := httptest.NewServer(fake)
			defer srv.Close()
			c := benchClient(b, srv.URL)
			value := make([]byte, 4096)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if tc.fresh {
					c = benchClient(b, srv.URL)
				}
				if _, err := c.SetSecretValue(context.Background(), orgSecret(fmt.Sprintf("S%d", i%900)), value, "private", nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(fake.CountRequests(""))/float64(b.N), "requests/op")
		})
	}
}

// BenchmarkListOrgSecrets reports the requests needed to read 1,000 secrets
// (ten pages of 100 is the minimum the API allows).
func BenchmarkListOrgSecrets(b *testing.B) {
	fake := fakegithub.New(benchFakeOptions())
	for i := range 1000 {
		fake.PutSecretOutOfBand(benchOrg, fmt.Sprintf("S%04d", i), []byte("v"), "all", nil)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c := benchClient(b, srv.URL)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		secrets, err := c.ListSecrets(context.Background(), orgScope(client.Actions, benchOrg))
		if err != nil {
			b.Fatal(err)
		}
		if len(secrets) != 1000 {
			b.Fatalf("listed %d secrets, want 1000", len(secrets))
		}
	}
	b.ReportMetric(float64(fake.CountRequests(""))/float64(b.N), "requests/op")
}

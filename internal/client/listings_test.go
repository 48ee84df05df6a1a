package client

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
)

// pagedSecrets serves the organization Actions secrets listing of acme:
// pages[reading][page] are the names of each page of each reading (the last
// reading repeats), total the total_count every page reports.
func pagedSecrets(t *testing.T, total int, readings ...[][]string) (*Client, *atomic.Int32) {
	t.Helper()
	var requests atomic.Int32
	var reading atomic.Int32
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page == 0 {
			page = 1
		}
		n := int(reading.Load())
		if page == 1 && requests.Load() > 1 {
			n = int(reading.Add(1))
		}
		pages := readings[min(n, len(readings)-1)]
		if page < len(pages) {
			w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?per_page=100&page=%d>; rel="next"`, r.Host, r.URL.Path, page+1))
		}
		var secrets []map[string]any
		for _, name := range pages[page-1] {
			secrets = append(secrets, map[string]any{"name": name, "visibility": "all", "updated_at": "2024-01-02T03:04:05Z"})
		}
		if secrets == nil {
			secrets = []map[string]any{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"total_count": total, "secrets": secrets})
	}))
	return c, &requests
}

func names(secrets []Secret) string {
	var out []string
	for _, s := range secrets {
		out = append(out, s.Name)
	}
	return fmt.Sprint(out)
}

func TestListSecretsReadsAContradictionOnceMore(t *testing.T) {
	t.Parallel()
	full := [][]string{{"A", "B"}, {"C", "D"}, {"E"}}
	for _, tt := range []struct {
		name  string
		first [][]string
	}{
		{"total_count larger than the listing", [][]string{{"A", "B"}, {"C"}}},
		{"a page before the last shorter than the first", [][]string{{"A", "B"}, {"C"}, {"E"}}},
		{"an item listed twice", [][]string{{"A", "B"}, {"B", "C"}, {"E"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, requests := pagedSecrets(t, 5, tt.first, full)
			got, err := c.ListSecrets(t.Context(), orgScope(Actions, "acme"))
			if err != nil || names(got) != "[A B C D E]" {
				t.Fatalf("ListSecrets = %s, %v; want every secret from the second reading", names(got), err)
			}
			if n := int(requests.Load()); n != len(tt.first)+3 {
				t.Errorf("%d requests, want %d: each reading once", n, len(tt.first)+3)
			}
		})
	}
}

func TestListSecretsReportsAContradictionTwice(t *testing.T) {
	t.Parallel()
	c, requests := pagedSecrets(t, 5, [][]string{{"A", "B"}, {"C"}})
	got, err := c.ListSecrets(t.Context(), orgScope(Actions, "acme"))
	var inc *InconsistentListingError
	if !errors.As(err, &inc) || inc.Reported != 5 || inc.Listed != 3 {
		t.Fatalf("err = %v, want an InconsistentListingError reporting 5 and listing 3", err)
	}
	if names(got) != "[A B C]" {
		t.Errorf("got %s, want what the readings held", names(got))
	}
	if n := requests.Load(); n != 4 {
		t.Errorf("%d requests, want 4: two readings, no third", n)
	}
	if IsForbidden(err) || IsNotFound(err) {
		t.Error("a contradiction reads as a refusal")
	}
}

func TestScanSecretsStopsWhenAsked(t *testing.T) {
	t.Parallel()
	c, requests := pagedSecrets(t, 5, [][]string{{"A", "B"}, {"C", "D"}, {"E"}})
	var got []string
	err := c.ScanSecrets(t.Context(), orgScope(Actions, "acme"), func(s Secret) bool {
		got = append(got, s.Name)
		return len(got) < 3
	})
	if err != nil || fmt.Sprint(got) != "[A B C]" {
		t.Fatalf("ScanSecrets gave %v, %v; want A B C", got, err)
	}
	if n := requests.Load(); n != 2 {
		t.Errorf("%d requests, want 2: no page after the one the caller stopped in", n)
	}
}

func TestScanSecretsGivesEachSecretOnceAcrossReadings(t *testing.T) {
	t.Parallel()
	// The first reading lost C; the second holds everything.
	c, _ := pagedSecrets(t, 3, [][]string{{"A", "B"}, {}}, [][]string{{"A", "B"}, {"C"}})
	var got []string
	if err := c.ScanSecrets(t.Context(), orgScope(Actions, "acme"), func(s Secret) bool {
		got = append(got, s.Name)
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[A B C]" {
		t.Errorf("gave %v, want each secret once", got)
	}
}

func TestIsForbiddenIsNotARateLimit(t *testing.T) {
	t.Parallel()
	refused := &ErrorResponse{StatusCode: http.StatusForbidden, Message: "Must have admin rights to Repository."}
	if !IsForbidden(refused) {
		t.Error("a 403 refusal is not IsForbidden")
	}
	if IsForbidden(&RateLimitError{ErrorResponse: refused}) {
		t.Error("a rate limit's 403 reads as a refusal")
	}
	if IsForbidden(&ErrorResponse{StatusCode: http.StatusNotFound}) {
		t.Error("a 404 reads as a refusal")
	}
}

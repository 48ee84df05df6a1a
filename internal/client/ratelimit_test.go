package client

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRateLimitErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    int
		header    map[string]string
		message   string
		secondary bool // a *SecondaryRateLimitError
		limited   bool // IsRateLimited
		wantText  string
	}{
		{"secondary, by message", 403, nil, "You have exceeded a secondary rate limit.", true, true, "secondary rate limit exceeded, retry later"},
		{"secondary, by Retry-After", 429, map[string]string{"Retry-After": "3600"}, "slow down", true, true, "(GitHub asked for 1h0m0s)"},
		{"primary", 403, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(time.Now().Add(2*time.Hour).Unix(), 10)},
			"API rate limit exceeded", false, true, "GitHub API rate limit exceeded"},
		{"permission", 403, nil, "Resource not accessible by integration", false, false, "403 Forbidden: Resource not accessible by integration"},
		{"not found", 404, nil, "Not Found", false, false, "404 Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				w.Header().Set("X-RateLimit-Limit", "5000")
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				writeJSON(w, tt.status, map[string]any{"message": tt.message})
			})
			// No wait is within the bound: the first answer is the error.
			c := newClockedClient(t, newFakeClock(), h, Config{Retry: RetryPolicy{MaxRateLimitWait: -1}})
			err := call(t.Context(), c, http.MethodPut, secretPath, map[string]any{})
			var sec *SecondaryRateLimitError
			if errors.As(err, &sec) != tt.secondary || IsRateLimited(err) != tt.limited || StatusCode(err) != tt.status {
				t.Fatalf("err = %v (%T): secondary %v, rate limited %v; want %v, %v", err, err, errors.As(err, &sec), IsRateLimited(err), tt.secondary, tt.limited)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("err = %q, want it to say %q", err, tt.wantText)
			}
			if got := n.Load(); got != 1 {
				t.Errorf("%d requests, want 1", got)
			}
		})
	}
}

package client

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestPutOrgSecret(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		w           SecretWrite
		wantCreated bool
		wantBody    string
	}{
		{
			name:        "create, ids omitted when nil",
			status:      http.StatusCreated,
			w:           SecretWrite{EncryptedValue: "c2VjcmV0", KeyID: "k1", Visibility: "all"},
			wantCreated: true,
			wantBody:    `{"encrypted_value":"c2VjcmV0","key_id":"k1","visibility":"all"}`,
		},
		{
			name:     "update, empty ids sent",
			status:   http.StatusNoContent,
			w:        SecretWrite{EncryptedValue: "c2VjcmV0", KeyID: "k1", Visibility: "selected", SelectedRepositoryIDs: []int64{}},
			wantBody: `{"encrypted_value":"c2VjcmV0","key_id":"k1","visibility":"selected","selected_repository_ids":[]}`,
		},
		{
			name:     "update with ids",
			status:   http.StatusNoContent,
			w:        SecretWrite{EncryptedValue: "c2VjcmV0", KeyID: "k1", Visibility: "selected", SelectedRepositoryIDs: []int64{1296269, 1296280}},
			wantBody: `{"encrypted_value":"c2VjcmV0","key_id":"k1","visibility":"selected","selected_repository_ids":[1296269,1296280]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec.record(r)
				w.Header().Set("Date", "Mon, 02 Jan 2006 15:04:05 GMT")
				if tt.status == http.StatusCreated {
					writeJSON(w, tt.status, map[string]any{})
					return
				}
				w.WriteHeader(tt.status)
			}))
			res, err := c.PutSecret(t.Context(), orgSecret(Actions, "acme", "my_secret"), tt.w)
			if err != nil {
				t.Fatalf("PutOrgSecret: %v", err)
			}
			if res.Created != tt.wantCreated {
				t.Errorf("created = %v, want %v", res.Created, tt.wantCreated)
			}
			if want := time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC); !res.At.Equal(want) {
				t.Errorf("At = %v, want the Date header %v", res.At, want)
			}
			r := rec.all()[0]
			if r.Method != http.MethodPut || r.Path != "/api/v3/orgs/acme/actions/secrets/my_secret" {
				t.Errorf("request = %s %s", r.Method, r.Path)
			}
			if got := string(r.Body); got != tt.wantBody {
				t.Errorf("body =\n  %s\nwant\n  %s", got, tt.wantBody)
			}
		})
	}
}

func TestGetAndDeleteOrgSecret(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		switch r.Method {
		case http.MethodGet:
			writeJSON(w, http.StatusOK, map[string]any{
				"name": "FOO", "visibility": "selected",
				"created_at": "2019-08-10T14:59:22Z", "updated_at": "2020-01-10T14:59:22Z",
				"selected_repositories_url": "https://api.github.com/orgs/acme/actions/secrets/FOO/repositories",
			})
		case http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	s, err := c.GetSecret(t.Context(), orgSecret(Actions, "acme", "foo"))
	if err != nil {
		t.Fatal(err)
	}
	want := Secret{
		Name: "FOO", Visibility: "selected",
		CreatedAt:               time.Date(2019, 8, 10, 14, 59, 22, 0, time.UTC),
		UpdatedAt:               time.Date(2020, 1, 10, 14, 59, 22, 0, time.UTC),
		SelectedRepositoriesURL: "https://api.github.com/orgs/acme/actions/secrets/FOO/repositories",
	}
	if *s != want {
		t.Errorf("secret = %+v, want %+v", *s, want)
	}
	if err := c.DeleteSecret(t.Context(), orgSecret(Actions, "acme", "foo")); err != nil {
		t.Fatal(err)
	}
	reqs := rec.all()
	// The name goes into the path as given; GitHub matches it case-insensitively.
	for _, r := range reqs {
		if r.Path != "/api/v3/orgs/acme/actions/secrets/foo" {
			t.Errorf("%s path = %q", r.Method, r.Path)
		}
	}
}

// TestZeroAddressRefused: a call given no address (the zero value, which
// only skipping the constructor makes) is refused before any request.
func TestZeroAddressRefused(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	ctx := t.Context()
	errs := []error{}
	_, err := c.GetSecret(ctx, Address{})
	errs = append(errs, err)
	_, err = c.LookupSecret(ctx, Address{})
	errs = append(errs, err)
	_, err = c.ListSecrets(ctx, Scope{})
	errs = append(errs, err)
	_, err = c.ListedSecrets(ctx, Scope{})
	errs = append(errs, err)
	_, err = c.PublicKey(ctx, Scope{})
	errs = append(errs, err)
	_, err = c.SetSecretValue(ctx, Address{}, []byte("v"), "all", nil)
	errs = append(errs, err)
	_, err = c.SelectedRepositoryIDs(ctx, Address{})
	errs = append(errs, err)
	errs = append(errs, c.DeleteSecret(ctx, Address{}), c.AddSelectedRepository(ctx, Address{}, 1))
	_, err = c.ListOrgRepositories(ctx, "")
	errs = append(errs, err)
	for i, err := range errs {
		if err == nil {
			t.Errorf("call %d: no error", i)
		}
	}
	if calls.Load() != 0 {
		t.Errorf("%d requests sent for invalid input", calls.Load())
	}
}

// rotatingServer serves the org public key and records secret PUTs. Before
// rotation it serves key 1; PUTs sealed for a key other than the current one
// get 422, as GitHub answers for a stale key_id.
type rotatingServer struct {
	keys       []string // base64 public keys; index i has key_id "k<i+1>"
	keyIdx     atomic.Int32
	rotateOnce bool // rotate to the next key right after the first key fetch

	keyGets atomic.Int32
	rec     recorder
}

func (s *rotatingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/public-key"):
		n := s.keyGets.Add(1)
		i := s.keyIdx.Load()
		writeJSON(w, http.StatusOK, map[string]any{"key_id": keyID(int(i)), "key": s.keys[i]})
		if n == 1 && s.rotateOnce {
			s.keyIdx.Add(1)
		}
	case r.Method == http.MethodPut:
		rec := s.rec.record(r)
		var body struct {
			KeyID string `json:"key_id"`
		}
		_ = json.Unmarshal(rec.Body, &body)
		if body.KeyID != keyID(int(s.keyIdx.Load())) {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
				"message":           "Bad request - key_id is not valid",
				"documentation_url": "https://docs.github.com/rest/actions/secrets#create-or-update-an-organization-secret",
			})
			return
		}
		writeJSON(w, http.StatusCreated, map[string]any{})
	default:
		http.NotFound(w, r)
	}
}

func keyID(i int) string { return "k" + strconv.Itoa(i+1) }

func TestSetOrgSecretValue(t *testing.T) {
	t.Parallel()
	const plaintext = "PLAINTEXT-hunter2"

	t.Run("no rotation", func(t *testing.T) {
		t.Parallel()
		pub1, pk1, sk1 := newTestKey(t)
		srv := &rotatingServer{keys: []string{pub1}}
		c := newTestClient(t, srv)
		res, err := c.SetSecretValue(t.Context(), orgSecret(Actions, "acme", "FOO"), []byte(plaintext), "selected", []int64{42})
		if created := res.Created; err != nil || !created {
			t.Fatalf("SetOrgSecretValue = %v, %v; want true, nil", created, err)
		}
		puts := srv.rec.all()
		if len(puts) != 1 {
			t.Fatalf("%d PUTs, want 1", len(puts))
		}
		var body map[string]any
		if err := json.Unmarshal(puts[0].Body, &body); err != nil {
			t.Fatal(err)
		}
		if body["key_id"] != "k1" || body["visibility"] != "selected" || len(body["selected_repository_ids"].([]any)) != 1 {
			t.Errorf("body = %v", body)
		}
		got, ok := openSealed(t, body["encrypted_value"].(string), pk1, sk1)
		if !ok || string(got) != plaintext {
			t.Fatalf("ciphertext does not open to the plaintext")
		}
		// A second write uses the cached key.
		if _, err := c.SetSecretValue(t.Context(), orgSecret(Actions, "ACME", "FOO"), []byte(plaintext), "all", nil); err != nil {
			t.Fatal(err)
		}
		if n := srv.keyGets.Load(); n != 1 {
			t.Errorf("%d key fetches, want 1", n)
		}
		if strings.Contains(string(srv.rec.all()[1].Body), "selected_repository_ids") {
			t.Errorf("nil ids were sent: %s", srv.rec.all()[1].Body)
		}
	})

	t.Run("key rotated: re-seal and retry once", func(t *testing.T) {
		t.Parallel()
		pub1, _, _ := newTestKey(t)
		pub2, pk2, sk2 := newTestKey(t)
		srv := &rotatingServer{keys: []string{pub1, pub2}, rotateOnce: true}
		c := newTestClient(t, srv)

		res, err := c.SetSecretValue(t.Context(), orgSecret(Actions, "acme", "FOO"), []byte(plaintext), "all", nil)
		if created := res.Created; err != nil || !created {
			t.Fatalf("SetOrgSecretValue = %v, %v; want true, nil", created, err)
		}
		puts := srv.rec.all()
		if len(puts) != 2 {
			t.Fatalf("%d PUTs, want 2", len(puts))
		}
		if n := srv.keyGets.Load(); n != 2 {
			t.Errorf("%d key fetches, want 2", n)
		}
		var body struct {
			EncryptedValue string `json:"encrypted_value"`
			KeyID          string `json:"key_id"`
		}
		if err := json.Unmarshal(puts[1].Body, &body); err != nil {
			t.Fatal(err)
		}
		if body.KeyID != "k2" {
			t.Errorf("retry key_id = %q, want k2", body.KeyID)
		}
		got, ok := openSealed(t, body.EncryptedValue, pk2, sk2)
		if !ok || string(got) != plaintext {
			t.Fatal("retry ciphertext does not open with the new private key")
		}
		// The new key is now the cached one.
		if key, _ := c.PublicKey(t.Context(), orgScope(Actions, "acme")); key.KeyID != "k2" {
			t.Errorf("cached key_id = %q, want k2", key.KeyID)
		}
	})

	t.Run("422 without rotation: no retry", func(t *testing.T) {
		t.Parallel()
		pub1, _, _ := newTestKey(t)
		var puts, keyGets atomic.Int32
		c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				keyGets.Add(1)
				writeJSON(w, http.StatusOK, map[string]any{"key_id": "k1", "key": pub1})
				return
			}
			puts.Add(1)
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"message": "Visibility is invalid"})
		}))
		_, err := c.SetSecretValue(t.Context(), orgSecret(Actions, "acme", "FOO"), []byte(plaintext), "bogus", nil)
		if !IsValidation(err) || !strings.Contains(err.Error(), "Visibility is invalid") {
			t.Fatalf("error = %v, want the original 422", err)
		}
		if puts.Load() != 1 || keyGets.Load() != 2 {
			t.Errorf("puts = %d, key fetches = %d; want 1 and 2", puts.Load(), keyGets.Load())
		}
		if strings.Contains(err.Error(), plaintext) {
			t.Errorf("error contains the plaintext: %q", err)
		}
	})

	t.Run("422 and key refresh fails", func(t *testing.T) {
		t.Parallel()
		pub1, _, _ := newTestKey(t)
		var keyGets atomic.Int32
		c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				if keyGets.Add(1) > 1 {
					writeJSON(w, http.StatusServiceUnavailable, map[string]any{"message": "try later"})
					return
				}
				writeJSON(w, http.StatusOK, map[string]any{"key_id": "k1", "key": pub1})
				return
			}
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"message": "Bad key"})
		}))
		_, err := c.SetSecretValue(t.Context(), orgSecret(Actions, "acme", "FOO"), []byte(plaintext), "all", nil)
		if !IsValidation(err) || !strings.Contains(err.Error(), "try later") {
			t.Fatalf("error = %v, want the 422 joined with the refresh failure", err)
		}
	})

	t.Run("other errors are returned as is", func(t *testing.T) {
		t.Parallel()
		pub1, _, _ := newTestKey(t)
		var keyGets atomic.Int32
		c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				keyGets.Add(1)
				writeJSON(w, http.StatusOK, map[string]any{"key_id": "k1", "key": pub1})
				return
			}
			writeJSON(w, http.StatusNotFound, map[string]any{"message": "Not Found"})
		}))
		_, err := c.SetSecretValue(t.Context(), orgSecret(Actions, "acme", "FOO"), []byte(plaintext), "all", nil)
		if !IsNotFound(err) || keyGets.Load() != 1 {
			t.Fatalf("error = %v, key fetches = %d; want 404 and 1", err, keyGets.Load())
		}
	})
}

// A 200 that decodes but lacks what GitHub always sends must be an error,
// never an empty list or a nameless secret: either would make managed
// secrets look deleted.
func TestMalformedSecretAnswersAreErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, body string
		list       bool
	}{
		{"list without secrets", `{"total_count": 1}`, true},
		{"list without total_count", `{"secrets": []}`, true},
		{"list with an empty secret", `{"total_count": 1, "secrets": [{}]}`, true},
		{"list with an unknown visibility", `{"total_count": 1, "secrets": [{"name": "A", "visibility": "public", "updated_at": "2020-01-01T00:00:00Z"}]}`, true},
		{"secret without a name", `{"visibility": "all", "updated_at": "2020-01-01T00:00:00Z"}`, false},
		{"empty object", `{}`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tt.body))
			}))
			var err error
			if tt.list {
				_, err = c.ListSecrets(t.Context(), orgScope(Actions, "acme"))
			} else {
				_, err = c.GetSecret(t.Context(), orgSecret(Actions, "acme", "A"))
			}
			if err == nil || !strings.Contains(err.Error(), "unexpected response") {
				t.Fatalf("err = %v, want an unexpected response error", err)
			}
		})
	}
}

package fakegithub

import (
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestHostileEchoesWhatTheRequestCarried(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.fake.SetHostile(Hostile{EchoRequests: true})
	const sealed = "c2VhbGVkLXZhbHVlLXRoYXQtd2lsbC1iZS1lY2hvZWQ="
	req, err := http.NewRequest(http.MethodPut, f.url+"/orgs/"+testOrg+"/actions/secrets/FOO",
		strings.NewReader(`{"encrypted_value":"`+sealed+`","key_id":"0","visibility":"all"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken+"-long-enough")
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	// The token is not the fake's: 401, whose answer repeats it.
	f.fake.SetHostile(Hostile{})
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("PUT = %v, %v; want a 401", resp, err)
	}

	req, _ = http.NewRequest(http.MethodPut, f.url+"/orgs/"+testOrg+"/actions/secrets/FOO",
		strings.NewReader(`{"encrypted_value":"`+sealed+`","key_id":"0","visibility":"all"}`))
	req.Header.Set("Authorization", "Bearer "+testToken)
	f.fake.SetHostile(Hostile{EchoRequests: true})
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422 for a stale key_id", resp.StatusCode)
	}
	for _, want := range []string{sealed, strings.ToLower(sealed), base64.StdEncoding.EncodeToString([]byte(sealed)), "\\u001b[2J", "Bad key_id"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the answer lacks %q: %s", want, body)
		}
	}
	if got := resp.Header.Get("X-GitHub-Request-Id"); !strings.Contains(sealed, got) {
		t.Errorf("X-GitHub-Request-Id %q is not a piece of the sealed value", got)
	}
	echoed := strings.Join(f.fake.Echoed(), "\n")
	if !strings.Contains(echoed, sealed) || !strings.Contains(echoed, strings.ToUpper(sealed)) {
		t.Error("Echoed does not list what was echoed")
	}
}

func TestHostileRedirects(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.fake.SetHostile(Hostile{RedirectWritesTo: "http://127.0.0.1:1/elsewhere", RedirectReadsTo: "http://127.0.0.1:2"})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for method, want := range map[string]int{http.MethodGet: 301, http.MethodPut: 307, http.MethodDelete: 308} {
		req, _ := http.NewRequest(method, f.url+"/orgs/"+testOrg+"/actions/secrets/FOO", nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		if resp.StatusCode != want || !strings.HasPrefix(loc, "http://127.0.0.1:") || !strings.Contains(loc, "/orgs/"+testOrg+"/actions/secrets/FOO?access_token=") {
			t.Errorf("%s: %d to %q, want %d to the same path elsewhere", method, resp.StatusCode, loc, want)
		}
	}
}

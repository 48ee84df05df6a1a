package fakegithub

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

const registriesPath = "/orgs/" + testOrg + "/private-registries"

// registryBody is a create body of registryType with the fields given as
// name, value pairs after it; "$value" in place of a value is plaintext
// sealed for the registries key (with its key_id).
func (f *fixture) registryBody(t *testing.T, registryType string, fields ...any) map[string]any {
	t.Helper()
	body := map[string]any{"registry_type": registryType, "url": "https://registry.example.com/" + registryType, "visibility": "private"}
	for i := 0; i+1 < len(fields); i += 2 {
		name := fields[i].(string)
		if fields[i+1] == "$value" {
			enc, keyID := f.sealAt(t, registriesPath+"/public-key", "value of "+registryType)
			body["encrypted_value"], body["key_id"] = enc, keyID
			continue
		}
		if fields[i+1] == nil {
			delete(body, name)
			continue
		}
		body[name] = fields[i+1]
	}
	return body
}

func decodeRegistry(t *testing.T, res response) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(res.body, &v); err != nil {
		t.Fatalf("body %s: %v", res.body, err)
	}
	return v
}

// TestRegistryCreateByAuthType: every auth type with what it needs is
// created; without it, or with what it must not have, 422 says what is wrong.
func TestRegistryCreateByAuthType(t *testing.T) {
	t.Parallel()
	oidc := map[string][]any{
		"oidc_azure":      {"tenant_id", "t-1", "client_id", "c-1"},
		"oidc_aws":        {"aws_region", "eu-west-1", "account_id", "123", "role_name", "r", "domain", "d", "domain_owner", "123", "audience", "sts"},
		"oidc_jfrog":      {"jfrog_oidc_provider_name", "p", "audience", "a", "identity_mapping_name", "m"},
		"oidc_cloudsmith": {"namespace", "ns", "service_slug", "svc", "audience", "a", "api_host", "api.cloudsmith.io"},
		"oidc_gcp":        {"workload_identity_provider", "projects/1/locations/global/workloadIdentityPools/p/providers/q", "service_account", "sa@x", "audience", "a"},
	}
	type tc struct {
		name    string
		typ     string
		fields  []any
		status  int
		message string // a part of the 422's message
	}
	cases := []tc{
		{name: "token default", typ: "npm_registry", fields: []any{"value", "$value"}, status: 201},
		{name: "token explicit", typ: "nuget_feed", fields: []any{"auth_type", "token", "value", "$value", "replaces_base", true}, status: 201},
		{name: "username_password", typ: "maven_repository", fields: []any{"auth_type", "username_password", "username", "monalisa", "value", "$value"}, status: 201},
		{name: "token without value", typ: "npm_registry", status: 422, message: "encrypted_value and key_id are required"},
		{name: "username_password without username", typ: "maven_repository", fields: []any{"auth_type", "username_password", "value", "$value"}, status: 422, message: "requires username"},
		{name: "bad key_id", typ: "npm_registry", fields: []any{"value", "$value", "key_id", "012345678912345678"}, status: 422, message: "Bad key_id"},
		{name: "undecryptable", typ: "npm_registry", fields: []any{"value", "$value", "encrypted_value", "c2VjcmV0"}, status: 422, message: "Bad encrypted_value"},
		{name: "key_id alone", typ: "npm_registry", fields: []any{"key_id", "1"}, status: 422, message: "required"},
		{name: "OIDC field on a token registry", typ: "npm_registry", fields: []any{"value", "$value", "tenant_id", "t"}, status: 422, message: "tenant_id is not used with auth_type token"},
	}
	for typ, fields := range oidc {
		cases = append(cases,
			tc{name: typ, typ: "docker_registry", fields: append([]any{"auth_type", typ}, fields...), status: 201},
			tc{name: typ + " with a value", typ: "docker_registry", fields: append([]any{"auth_type", typ, "value", "$value"}, fields...),
				status: 422, message: "must be omitted"},
			tc{name: typ + " missing " + fields[0].(string), typ: "docker_registry", fields: append([]any{"auth_type", typ}, fields[2:]...),
				status: 422, message: "requires " + fields[0].(string)},
		)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newCheckedFixture(t, Options{})
			res := f.do(t, "POST", registriesPath, f.registryBody(t, c.typ, c.fields...))
			if res.status != c.status {
				t.Fatalf("status %d, want %d: %s", res.status, c.status, res.body)
			}
			if c.status != 201 {
				if msg := res.apiError(t).Message; !strings.Contains(msg, c.message) {
					t.Errorf("message %q, want it to hold %q", msg, c.message)
				}
				if got := f.fake.Registries(testOrg); len(got) != 0 {
					t.Errorf("refused create left %+v", got)
				}
				return
			}
			got := decodeRegistry(t, res)
			if want := strings.ToUpper(c.typ) + "_SECRET"; got["name"] != want {
				t.Errorf("name %v, want %s", got["name"], want)
			}
			info, ok := f.fake.Registry(testOrg, got["name"].(string))
			if !ok {
				t.Fatal("not stored")
			}
			for i := 0; i+1 < len(c.fields); i += 2 {
				name := c.fields[i].(string)
				if name == "value" {
					continue
				}
				if got[name] != c.fields[i+1] {
					t.Errorf("%s: answered %v, sent %v", name, got[name], c.fields[i+1])
				}
			}
			value, hasValue := f.fake.RegistryValue(testOrg, info.Name)
			if hasValue != registryAuths[info.AuthType].sealed || (hasValue && string(value) != "value of "+c.typ) {
				t.Errorf("value %q (%v) for auth type %s", value, hasValue, info.AuthType)
			}
			for _, leak := range []string{"encrypted_value", "key_id", "value"} {
				if _, ok := got[leak]; ok {
					t.Errorf("answer has %s", leak)
				}
			}
		})
	}
}

// TestRegistryRefusedBySchema: what the description itself refuses (so no
// checked fixture) is 422 too.
func TestRegistryRefusedBySchema(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for name, body := range map[string]map[string]any{
		"no registry_type":    f.registryBody(t, "npm_registry", "registry_type", nil, "value", "$value"),
		"no url":              f.registryBody(t, "npm_registry", "url", nil, "value", "$value"),
		"no visibility":       f.registryBody(t, "npm_registry", "visibility", nil, "value", "$value"),
		"unknown type":        f.registryBody(t, "npm_registry", "registry_type", "pypi", "value", "$value"),
		"relative url":        f.registryBody(t, "npm_registry", "url", "registry.example.com", "value", "$value"),
		"unknown auth type":   f.registryBody(t, "npm_registry", "auth_type", "basic", "value", "$value"),
		"unknown visibility":  f.registryBody(t, "npm_registry", "visibility", "internal", "value", "$value"),
		"ids are not numbers": f.registryBody(t, "npm_registry", "visibility", "selected", "selected_repository_ids", []string{"x"}, "value", "$value"),
	} {
		if res := f.do(t, "POST", registriesPath, body); res.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d: %s", name, res.status, res.body)
		}
	}
	if got := f.fake.Registries(testOrg); len(got) != 0 {
		t.Errorf("refused creates left %+v", got)
	}
	if res := f.do(t, "POST", registriesPath, "{"); res.status != http.StatusBadRequest {
		t.Errorf("bad JSON: %d", res.status)
	}
}

// TestRegistryVisibility: a repository list goes with selected alone and
// names the organization's repositories; the create answer has it, the
// configuration does not.
func TestRegistryVisibility(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{})
	ids := []int64{f.repos[1].ID, f.repos[0].ID}

	res := f.do(t, "POST", registriesPath, f.registryBody(t, "npm_registry", "value", "$value", "selected_repository_ids", ids))
	if res.status != 422 || !strings.Contains(res.apiError(t).Message, "visibility is set to selected") {
		t.Errorf("list with private: %d %s", res.status, res.body)
	}
	res = f.do(t, "POST", registriesPath, f.registryBody(t, "npm_registry", "value", "$value", "visibility", "selected",
		"selected_repository_ids", []int64{ids[0], 42, 43}))
	if res.status != 422 || !strings.Contains(res.apiError(t).Message, "42, 43") {
		t.Errorf("unknown repositories: %d %s", res.status, res.body)
	}

	res = f.do(t, "POST", registriesPath, f.registryBody(t, "npm_registry", "value", "$value", "visibility", "selected", "selected_repository_ids", ids))
	wantStatus(t, res, 201)
	created := decodeRegistry(t, res)
	if got, _ := json.Marshal(created["selected_repository_ids"]); string(got) != "["+strconv.FormatInt(f.repos[0].ID, 10)+","+strconv.FormatInt(f.repos[1].ID, 10)+"]" {
		t.Errorf("create answer's ids %s", got)
	}
	one := decodeRegistry(t, f.do(t, "GET", registriesPath+"/npm_registry_secret", nil))
	if _, ok := one["selected_repository_ids"]; ok || one["visibility"] != "selected" {
		t.Errorf("configuration %v", one)
	}

	res = f.do(t, "POST", registriesPath, f.registryBody(t, "npm_registry", "value", "$value", "visibility", "selected"))
	wantStatus(t, res, 201)
	if got, ok := decodeRegistry(t, res)["selected_repository_ids"].([]any); !ok || len(got) != 0 {
		t.Errorf("selected without a list: %s", res.body)
	}
	res = f.do(t, "POST", registriesPath, f.registryBody(t, "npm_registry", "value", "$value", "visibility", "all"))
	wantStatus(t, res, 201)
	if _, ok := decodeRegistry(t, res)["selected_repository_ids"]; ok {
		t.Errorf("visibility all: %s", res.body)
	}
}

// TestRegistryNames: GitHub names a registry by its type; the fake numbers
// the next ones of a type, and a freed name is taken again.
func TestRegistryNames(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{})
	var names []string
	for range 3 {
		res := f.do(t, "POST", registriesPath, f.registryBody(t, "maven_repository", "value", "$value"))
		wantStatus(t, res, 201)
		names = append(names, decodeRegistry(t, res)["name"].(string))
	}
	if want := []string{"MAVEN_REPOSITORY_SECRET", "MAVEN_REPOSITORY_SECRET_1", "MAVEN_REPOSITORY_SECRET_2"}; !slices.Equal(names, want) {
		t.Fatalf("names %v, want %v", names, want)
	}
	wantStatus(t, f.do(t, "DELETE", registriesPath+"/maven_repository_secret", nil), 204)
	res := f.do(t, "POST", registriesPath, f.registryBody(t, "maven_repository", "value", "$value"))
	if got := decodeRegistry(t, res)["name"]; got != "MAVEN_REPOSITORY_SECRET" {
		t.Errorf("after delete: %v", got)
	}
	for _, method := range []string{"GET", "PATCH", "DELETE"} {
		var body any
		if method == "PATCH" {
			body = map[string]any{}
		}
		wantStatus(t, f.do(t, method, registriesPath+"/NPM_REGISTRY_SECRET", body), 404)
	}
	wantStatus(t, f.do(t, "GET", "/orgs/nobody/private-registries", nil), 404)
}

// TestRegistryListPages: the list pages as GitHub's lists do, with a
// total_count, and holds no value.
func TestRegistryListPages(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{})
	for range 5 {
		wantStatus(t, f.do(t, "POST", registriesPath, f.registryBody(t, "npm_registry", "value", "$value")), 201)
	}
	wantStatus(t, f.do(t, "POST", registriesPath, f.registryBody(t, "docker_registry", "auth_type", "oidc_azure", "tenant_id", "t", "client_id", "c")), 201)
	var names []string
	for page := 1; page <= 3; page++ {
		res := f.do(t, "GET", registriesPath+"?per_page=2&page="+strconv.Itoa(page), nil)
		list := decodeOK[struct {
			TotalCount     int              `json:"total_count"`
			Configurations []map[string]any `json:"configurations"`
		}](t, res)
		if list.TotalCount != 6 || len(list.Configurations) != 2 {
			t.Fatalf("page %d: %s", page, res.body)
		}
		if hasNext := strings.Contains(res.header.Get("Link"), `rel="next"`); hasNext != (page < 3) {
			t.Errorf("page %d: Link %q", page, res.header.Get("Link"))
		}
		for _, c := range list.Configurations {
			names = append(names, c["name"].(string))
			if _, ok := c["encrypted_value"]; ok {
				t.Errorf("listed a value: %v", c)
			}
			if c["auth_type"] == "oidc_azure" && (c["tenant_id"] != "t" || c["client_id"] != "c") {
				t.Errorf("OIDC fields: %v", c)
			}
		}
	}
	if !slices.IsSorted(names) || len(names) != 6 || names[0] != "DOCKER_REGISTRY_SECRET" {
		t.Errorf("names %v", names)
	}
}

// TestRegistryUpdate: a PATCH changes what it names, under the rules of a
// create, and moves updated_at.
func TestRegistryUpdate(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{})
	wantStatus(t, f.do(t, "POST", registriesPath, f.registryBody(t, "maven_repository", "auth_type", "username_password", "username", "a", "value", "$value")), 201)
	wantStatus(t, f.do(t, "POST", registriesPath, f.registryBody(t, "docker_registry", "auth_type", "oidc_azure", "tenant_id", "t", "client_id", "c")), 201)
	maven, azure := registriesPath+"/MAVEN_REPOSITORY_SECRET", registriesPath+"/docker_registry_secret"
	before, _ := f.fake.Registry(testOrg, "MAVEN_REPOSITORY_SECRET")

	f.clock.Advance(time.Minute)
	res := f.do(t, "PATCH", maven, map[string]any{})
	wantStatus(t, res, 204)
	if len(res.body) != 0 {
		t.Errorf("PATCH body %s", res.body)
	}
	after, _ := f.fake.Registry(testOrg, "maven_repository_secret")
	if !after.UpdatedAt.Equal(before.UpdatedAt.Add(time.Minute)) || !after.CreatedAt.Equal(before.CreatedAt) {
		t.Errorf("times %v %v after %v %v", after.CreatedAt, after.UpdatedAt, before.CreatedAt, before.UpdatedAt)
	}

	enc, keyID := f.sealAt(t, registriesPath+"/public-key", "new value")
	for _, c := range []struct {
		name    string
		path    string
		body    map[string]any
		status  int
		message string
	}{
		{"username and value", maven, map[string]any{"username": "b", "encrypted_value": enc, "key_id": keyID, "url": "https://m.example.com/"}, 204, ""},
		{"value without key_id", maven, map[string]any{"encrypted_value": enc}, 422, "go together"},
		{"stale key_id", maven, map[string]any{"encrypted_value": enc, "key_id": "012345678912345678"}, 422, "Bad key_id"},
		{"no username for username_password", maven, map[string]any{"username": nil}, 422, "requires username"},
		{"another auth type", maven, map[string]any{"auth_type": "token"}, 422, "cannot be changed"},
		{"list without selected", maven, map[string]any{"selected_repository_ids": []int64{f.repos[0].ID}}, 422, "selected"},
		{"selected with a list", maven, map[string]any{"visibility": "selected", "selected_repository_ids": []int64{f.repos[2].ID, f.repos[0].ID}}, 204, ""},
		{"list replaced", maven, map[string]any{"selected_repository_ids": []int64{f.repos[1].ID}}, 204, ""},
		{"value on OIDC", azure, map[string]any{"encrypted_value": enc, "key_id": keyID}, 422, "must be omitted"},
		{"OIDC field emptied", azure, map[string]any{"tenant_id": ""}, 422, "requires tenant_id"},
		{"field of another OIDC type", azure, map[string]any{"aws_region": "x"}, 422, "not used"},
		{"OIDC field changed", azure, map[string]any{"client_id": "c2", "visibility": "all"}, 204, ""},
	} {
		res := f.do(t, "PATCH", c.path, c.body)
		if res.status != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.name, res.status, c.status, res.body)
			continue
		}
		if c.message != "" && !strings.Contains(res.apiError(t).Message, c.message) {
			t.Errorf("%s: message %q, want %q", c.name, res.apiError(t).Message, c.message)
		}
	}
	got, _ := f.fake.Registry(testOrg, "MAVEN_REPOSITORY_SECRET")
	if got.Username != "b" || got.URL != "https://m.example.com/" || got.Visibility != "selected" ||
		!slices.Equal(got.SelectedRepositoryIDs, []int64{f.repos[1].ID}) || got.KeyID != keyID {
		t.Errorf("after updates: %+v", got)
	}
	if v, _ := f.fake.RegistryValue(testOrg, "MAVEN_REPOSITORY_SECRET"); string(v) != "new value" {
		t.Errorf("value %q", v)
	}
	wantStatus(t, f.do(t, "PATCH", maven, map[string]any{"visibility": "private"}), 204)
	if got, _ := f.fake.Registry(testOrg, "MAVEN_REPOSITORY_SECRET"); got.SelectedRepositoryIDs != nil {
		t.Errorf("private kept a list: %v", got.SelectedRepositoryIDs)
	}
	if got, _ := f.fake.Registry(testOrg, "DOCKER_REGISTRY_SECRET"); got.OIDC.ClientID != "c2" || got.OIDC.TenantID != "t" || got.Visibility != "all" {
		t.Errorf("OIDC after update: %+v", got)
	}
}

// TestRegistryKeyAndLeaks: the registries key is their own; every value
// sent is recorded for leak checks and none comes back; a rotated key's
// values are refused.
func TestRegistryKeyAndLeaks(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{})
	key := decodeOK[map[string]string](t, f.do(t, "GET", registriesPath+"/public-key", nil))
	if keyID, keyB64 := f.fake.RegistryPublicKey(testOrg); key["key_id"] != keyID || key["key"] != keyB64 || len(key) != 2 {
		t.Errorf("key %v", key)
	}
	if actions, _ := f.fake.PublicKey(testOrg); actions == key["key_id"] {
		t.Error("registries share the Actions key")
	}
	body := f.registryBody(t, "npm_registry", "value", "$value")
	res := f.do(t, "POST", registriesPath, body)
	wantStatus(t, res, 201)
	if !slices.Contains(f.fake.Ciphertexts(), body["encrypted_value"].(string)) {
		t.Error("ciphertext not recorded")
	}
	list := f.do(t, "GET", registriesPath, nil)
	for _, b := range [][]byte{res.body, list.body} {
		if strings.Contains(string(b), body["encrypted_value"].(string)) || strings.Contains(string(b), "value of") {
			t.Errorf("answer repeats the value: %s", b)
		}
	}
	f.fake.RotateRegistryKey(testOrg)
	res = f.do(t, "POST", registriesPath, body)
	if res.status != 422 || !strings.Contains(res.apiError(t).Message, "Bad key_id") {
		t.Errorf("old key after rotation: %d %s", res.status, res.body)
	}
}

// TestRegistryHelpers: drift made through the helpers shows in the API.
func TestRegistryHelpers(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{})
	wantStatus(t, f.do(t, "POST", registriesPath, f.registryBody(t, "npm_registry", "value", "$value")), 201)
	f.clock.Advance(time.Second)
	f.fake.UpdateRegistry(testOrg, "npm_registry_secret", func(r *RegistryInfo) {
		r.URL, r.Visibility, r.SelectedRepositoryIDs = "https://elsewhere.example.com/", "selected", []int64{f.repos[0].ID}
	})
	got := decodeOK[map[string]any](t, f.do(t, "GET", registriesPath+"/NPM_REGISTRY_SECRET", nil))
	if got["url"] != "https://elsewhere.example.com/" || got["visibility"] != "selected" || got["created_at"] == got["updated_at"] {
		t.Errorf("after UpdateRegistry: %v", got)
	}
	if v, ok := f.fake.RegistryValue(testOrg, "NPM_REGISTRY_SECRET"); !ok || string(v) != "value of npm_registry" {
		t.Errorf("value %q %v", v, ok)
	}
	f.fake.DeleteRegistry(testOrg, "npm_registry_secret")
	wantStatus(t, f.do(t, "GET", registriesPath+"/NPM_REGISTRY_SECRET", nil), 404)
	if got := f.fake.Registries(testOrg); len(got) != 0 {
		t.Errorf("after DeleteRegistry: %+v", got)
	}
}

// TestRegistriesOnGHES: GitHub Enterprise Server 3.19 has private
// registries, under /api/v3 as well.
func TestRegistriesOnGHES(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{GHES: true})
	for _, prefix := range []string{"/api/v3", ""} {
		wantStatus(t, f.do(t, "POST", prefix+registriesPath, f.registryBody(t, "python_index", "value", "$value")), 201)
		wantStatus(t, f.do(t, "GET", prefix+registriesPath+"/public-key", nil), 200)
		res := f.do(t, "GET", prefix+registriesPath, nil)
		if res.header.Get("X-GitHub-Enterprise-Version") == "" {
			t.Error("no GHES version")
		}
		wantStatus(t, res, 200)
	}
	if got := f.fake.Registries(testOrg); len(got) != 2 {
		t.Errorf("registries %+v", got)
	}
}

// TestDropAnswerAfterCreate: the create happens, its answer is lost, and
// the fault is spent after n creates.
func TestDropAnswerAfterCreate(t *testing.T) {
	t.Parallel()
	f := newCheckedFixture(t, Options{})
	f.fake.DropAnswerAfterCreate(1)
	// A refused create is no successful write: it keeps its answer and the fault.
	wantStatus(t, f.do(t, "POST", registriesPath, f.registryBody(t, "npm_registry")), 422)

	raw, err := json.Marshal(f.registryBody(t, "npm_registry", "value", "$value"))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", f.url+registriesPath, strings.NewReader(string(raw)))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("answered %d, want a dropped connection", resp.StatusCode)
	}
	if got := f.fake.Registries(testOrg); len(got) != 1 {
		t.Fatalf("after the dropped create: %+v", got)
	}
	if st := f.fake.Stats(); st.Dropped != 1 || st.ByStatus[0] != 1 {
		t.Errorf("stats %+v", st)
	}
	wantStatus(t, f.do(t, "POST", registriesPath, f.registryBody(t, "npm_registry", "value", "$value")), 201)
	if got := f.fake.Registries(testOrg); len(got) != 2 || got[1].Name != "NPM_REGISTRY_SECRET_1" {
		t.Errorf("after the second create: %+v", got)
	}
}

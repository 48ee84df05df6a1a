package fakegithub

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/nacl/box"
)

var (
	// Pattern of encrypted_value in the OpenAPI description.
	encryptedValuePattern = regexp.MustCompile(`^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$`)
	secretNamePattern     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	visibilities          = []string{"all", "private", "selected"}
)

const (
	msgNameChars = "Secret names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_). " +
		"Spaces are not allowed. Must start with a letter ([a-z], [A-Z]) or underscores (_)."
	msgNamePrefix    = "Secret names must not start with GITHUB_."
	msgNotSelected   = "The secret's visibility must be set to selected to manage its selected repositories."
	msgBadJSON       = "Problems parsing JSON"
	msgInvalidPrefix = "Invalid request.\n\n"
)

// validateSecretName applies GitHub's naming rules; "" means valid.
func validateSecretName(name string) string {
	if !secretNamePattern.MatchString(name) {
		return msgNameChars
	}
	if strings.HasPrefix(strings.ToUpper(name), "GITHUB_") {
		return msgNamePrefix
	}
	return ""
}

func isVisibility(v string) bool { return slices.Contains(visibilities, v) }

type secretJSON struct {
	Name                    string `json:"name"`
	CreatedAt               string `json:"created_at"`
	UpdatedAt               string `json:"updated_at"`
	Visibility              string `json:"visibility,omitempty"` // an organization secret's alone
	SelectedRepositoriesURL string `json:"selected_repositories_url,omitempty"`
}

// ownerJSON is GitHub's simple-user, as a repository's owner: always an
// organization here.
type ownerJSON struct {
	Login             string `json:"login"`
	ID                int64  `json:"id"`
	NodeID            string `json:"node_id"`
	AvatarURL         string `json:"avatar_url"`
	GravatarID        string `json:"gravatar_id"`
	URL               string `json:"url"`
	HTMLURL           string `json:"html_url"`
	FollowersURL      string `json:"followers_url"`
	FollowingURL      string `json:"following_url"`
	GistsURL          string `json:"gists_url"`
	StarredURL        string `json:"starred_url"`
	SubscriptionsURL  string `json:"subscriptions_url"`
	OrganizationsURL  string `json:"organizations_url"`
	ReposURL          string `json:"repos_url"`
	EventsURL         string `json:"events_url"`
	ReceivedEventsURL string `json:"received_events_url"`
	Type              string `json:"type"`
	UserViewType      string `json:"user_view_type"`
	SiteAdmin         bool   `json:"site_admin"`
}

// repositoryJSON is GitHub's minimal-repository, in GitHub's order: every
// property the description requires. The *_url values ending in {...} are
// RFC 6570 templates, as GitHub sends them.
type repositoryJSON struct {
	ID               int64     `json:"id"`
	NodeID           string    `json:"node_id"`
	Name             string    `json:"name"`
	FullName         string    `json:"full_name"`
	Private          bool      `json:"private"`
	Owner            ownerJSON `json:"owner"`
	HTMLURL          string    `json:"html_url"`
	Description      *string   `json:"description"`
	Fork             bool      `json:"fork"`
	URL              string    `json:"url"`
	ForksURL         string    `json:"forks_url"`
	KeysURL          string    `json:"keys_url"`
	CollaboratorsURL string    `json:"collaborators_url"`
	TeamsURL         string    `json:"teams_url"`
	HooksURL         string    `json:"hooks_url"`
	IssueEventsURL   string    `json:"issue_events_url"`
	EventsURL        string    `json:"events_url"`
	AssigneesURL     string    `json:"assignees_url"`
	BranchesURL      string    `json:"branches_url"`
	TagsURL          string    `json:"tags_url"`
	BlobsURL         string    `json:"blobs_url"`
	GitTagsURL       string    `json:"git_tags_url"`
	GitRefsURL       string    `json:"git_refs_url"`
	TreesURL         string    `json:"trees_url"`
	StatusesURL      string    `json:"statuses_url"`
	LanguagesURL     string    `json:"languages_url"`
	StargazersURL    string    `json:"stargazers_url"`
	ContributorsURL  string    `json:"contributors_url"`
	SubscribersURL   string    `json:"subscribers_url"`
	SubscriptionURL  string    `json:"subscription_url"`
	CommitsURL       string    `json:"commits_url"`
	GitCommitsURL    string    `json:"git_commits_url"`
	CommentsURL      string    `json:"comments_url"`
	IssueCommentURL  string    `json:"issue_comment_url"`
	ContentsURL      string    `json:"contents_url"`
	CompareURL       string    `json:"compare_url"`
	MergesURL        string    `json:"merges_url"`
	ArchiveURL       string    `json:"archive_url"`
	DownloadsURL     string    `json:"downloads_url"`
	IssuesURL        string    `json:"issues_url"`
	PullsURL         string    `json:"pulls_url"`
	MilestonesURL    string    `json:"milestones_url"`
	NotificationsURL string    `json:"notifications_url"`
	LabelsURL        string    `json:"labels_url"`
	ReleasesURL      string    `json:"releases_url"`
	DeploymentsURL   string    `json:"deployments_url"`
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// webBase is the scheme and host the request reached, ending in "/".
func (c *call) webBase() string {
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.r.Host + "/"
}

// apiBase is webBase plus the /api/v3 prefix when the request used it.
func (c *call) apiBase() string {
	if c.prefix == "" {
		return c.webBase()
	}
	return c.webBase() + strings.TrimPrefix(c.prefix, "/") + "/"
}

func (c *call) secretJSON(sec *secret) secretJSON {
	out := secretJSON{
		Name:       sec.name,
		CreatedAt:  formatTime(sec.created),
		UpdatedAt:  formatTime(sec.updated),
		Visibility: sec.visibility,
	}
	switch {
	case c.place.user != nil:
		out.SelectedRepositoriesURL = c.apiBase() + "user/" + c.kind + "/secrets/" + sec.name + "/repositories"
	case sec.visibility == "selected":
		out.SelectedRepositoriesURL = c.apiBase() + "orgs/" + c.org.login + "/" + c.kind + "/secrets/" + sec.name + "/repositories"
	}
	return out
}

// repositoryJSON is repo as GitHub describes it, its URLs on the host the
// request reached (with the /api/v3 prefix when the request used it).
// github.com serves avatars from avatars.githubusercontent.com; the fake has
// one host, so avatars are under its /avatars/u/{id}, as on a GHES host
// without subdomain isolation.
func (c *call) repositoryJSON(repo Repository) repositoryJSON {
	o := c.org
	if o == nil {
		o = c.s.orgs[strings.ToLower(strings.SplitN(repo.FullName, "/", 2)[0])]
	}
	user := c.apiBase() + "users/" + o.login
	api := c.apiBase() + "repos/" + repo.FullName
	return repositoryJSON{
		ID:       repo.ID,
		NodeID:   base64.StdEncoding.EncodeToString([]byte("010:Repository" + strconv.FormatInt(repo.ID, 10))),
		Name:     repo.Name,
		FullName: repo.FullName,
		Private:  repo.visibility() != "public",
		Owner: ownerJSON{
			Login:             o.login,
			ID:                o.id,
			NodeID:            base64.StdEncoding.EncodeToString([]byte("012:Organization" + strconv.FormatInt(o.id, 10))),
			AvatarURL:         c.webBase() + "avatars/u/" + strconv.FormatInt(o.id, 10) + "?v=4",
			URL:               user,
			HTMLURL:           c.webBase() + o.login,
			FollowersURL:      user + "/followers",
			FollowingURL:      user + "/following{/other_user}",
			GistsURL:          user + "/gists{/gist_id}",
			StarredURL:        user + "/starred{/owner}{/repo}",
			SubscriptionsURL:  user + "/subscriptions",
			OrganizationsURL:  user + "/orgs",
			ReposURL:          user + "/repos",
			EventsURL:         user + "/events{/privacy}",
			ReceivedEventsURL: user + "/received_events",
			Type:              "Organization",
			UserViewType:      "public",
		},
		HTMLURL:          c.webBase() + repo.FullName,
		Fork:             repo.Fork,
		URL:              api,
		ForksURL:         api + "/forks",
		KeysURL:          api + "/keys{/key_id}",
		CollaboratorsURL: api + "/collaborators{/collaborator}",
		TeamsURL:         api + "/teams",
		HooksURL:         api + "/hooks",
		IssueEventsURL:   api + "/issues/events{/number}",
		EventsURL:        api + "/events",
		AssigneesURL:     api + "/assignees{/user}",
		BranchesURL:      api + "/branches{/branch}",
		TagsURL:          api + "/tags",
		BlobsURL:         api + "/git/blobs{/sha}",
		GitTagsURL:       api + "/git/tags{/sha}",
		GitRefsURL:       api + "/git/refs{/sha}",
		TreesURL:         api + "/git/trees{/sha}",
		StatusesURL:      api + "/statuses/{sha}",
		LanguagesURL:     api + "/languages",
		StargazersURL:    api + "/stargazers",
		ContributorsURL:  api + "/contributors",
		SubscribersURL:   api + "/subscribers",
		SubscriptionURL:  api + "/subscription",
		CommitsURL:       api + "/commits{/sha}",
		GitCommitsURL:    api + "/git/commits{/sha}",
		CommentsURL:      api + "/comments{/number}",
		IssueCommentURL:  api + "/issues/comments{/number}",
		ContentsURL:      api + "/contents/{+path}",
		CompareURL:       api + "/compare/{base}...{head}",
		MergesURL:        api + "/merges",
		ArchiveURL:       api + "/{archive_format}{/ref}",
		DownloadsURL:     api + "/downloads",
		IssuesURL:        api + "/issues{/number}",
		PullsURL:         api + "/pulls{/number}",
		MilestonesURL:    api + "/milestones{/number}",
		NotificationsURL: api + "/notifications{?since,all,participating}",
		LabelsURL:        api + "/labels{/name}",
		ReleasesURL:      api + "/releases{/id}",
		DeploymentsURL:   api + "/deployments",
	}
}

func (c *call) fail(status int, msg string) { writeError(c.w, status, msg, c.docs) }

// repositoryID is the path's repository id, or answers 404 when it is not
// a number, as GitHub's router does.
func (c *call) repositoryID() (int64, bool) {
	id, err := strconv.ParseInt(c.params["repository_id"], 10, 64)
	if err != nil {
		writeError(c.w, http.StatusNotFound, "Not Found", docsRoot)
		return 0, false
	}
	return id, true
}

// secret finds the named secret or answers 404.
func (c *call) secret() (*secret, bool) {
	sec := c.store.secrets[strings.ToUpper(c.params["secret_name"])]
	if sec == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return nil, false
	}
	return sec, true
}

// selectedSecret finds the named secret and insists its visibility is selected.
func (c *call) selectedSecret() (*secret, bool) {
	sec, ok := c.secret()
	if !ok {
		return nil, false
	}
	if sec.visibility != "selected" {
		c.fail(http.StatusConflict, msgNotSelected)
		return nil, false
	}
	return sec, true
}

func (s *Server) listSecrets(c *call) {
	names := sortedKeys(c.store.secrets)
	start, end := paginate(c, len(names))
	page := make([]secretJSON, 0, end-start)
	for _, name := range names[start:end] {
		page = append(page, c.secretJSON(c.store.secrets[name]))
	}
	page = thin(page, s.thinned(c.path))
	writeJSON(c.w, http.StatusOK, struct {
		TotalCount int          `json:"total_count"`
		Secrets    []secretJSON `json:"secrets"`
	}{len(names), page})
}

func (s *Server) getPublicKey(c *call) {
	writeJSON(c.w, http.StatusOK, struct {
		KeyID string `json:"key_id"`
		Key   string `json:"key"`
	}{c.store.keyID, base64.StdEncoding.EncodeToString(c.store.public[:])})
}

func (s *Server) getSecret(c *call) {
	if sec, ok := c.secret(); ok {
		writeJSON(c.w, http.StatusOK, c.secretJSON(sec))
	}
}

// putSecret creates or updates a secret of any scope. Only an organization
// secret has a visibility and a repository list: a repository's or an
// environment's write carries the sealed value alone. A user's secret has
// a list but no visibility to choose: it is always "selected".
func (s *Server) putSecret(c *call) {
	body, ok := c.readBody()
	if !ok {
		return
	}
	org := c.place.isOrg()
	userSecret := c.place.user != nil
	fields := []string{"encrypted_value", "key_id"}
	if org {
		fields = append(fields, "visibility")
	}
	if msg := body.missing(fields...); msg != "" {
		c.fail(http.StatusUnprocessableEntity, msg)
		return
	}
	var encrypted, keyID, visibility string
	for i, dst := range []*string{&encrypted, &keyID, &visibility}[:len(fields)] {
		if msg := body.stringField(fields[i], dst); msg != "" {
			c.fail(http.StatusUnprocessableEntity, msg)
			return
		}
	}
	s.noteCiphertext(encrypted)
	if !encryptedValuePattern.MatchString(encrypted) {
		c.fail(http.StatusUnprocessableEntity, msgInvalidPrefix+
			"For 'properties/encrypted_value', the value does not match /"+encryptedValuePattern.String()+"/.")
		return
	}
	var ids []int64
	if org {
		if ids, ok = c.visibilityAndList(body, visibility); !ok {
			return
		}
	}
	if userSecret {
		visibility = "selected"
		var msg string
		if ids, msg = body.selectedIDs(true); msg != "" {
			c.fail(http.StatusUnprocessableEntity, msg)
			return
		}
	}

	name := c.params["secret_name"]
	if msg := validateSecretName(name); msg != "" {
		c.fail(http.StatusUnprocessableEntity, msg)
		return
	}
	if len(ids) > 0 && visibility != "selected" {
		c.fail(http.StatusUnprocessableEntity,
			"You can only provide a list of repository ids when the visibility is set to selected.")
		return
	}
	if keyID != c.store.keyID {
		c.fail(http.StatusUnprocessableEntity, fmt.Sprintf(
			"Bad key_id: %q is not the current public key of the %s's %s secrets. Get the public key again and re-encrypt the value.",
			keyID, c.store.holder.name, c.kind))
		return
	}
	sealed, err := base64.StdEncoding.DecodeString(encrypted)
	var plaintext []byte
	if err == nil {
		plaintext, ok = box.OpenAnonymous(nil, sealed, c.store.public, c.store.private)
	}
	if err != nil || !ok {
		c.fail(http.StatusUnprocessableEntity,
			"Bad encrypted_value: it could not be decrypted with the public key of key_id "+keyID+".")
		return
	}
	if len(plaintext) > maxSecretBytes {
		c.fail(http.StatusUnprocessableEntity, "Secret value is too large: secrets are limited to 48 KB.")
		return
	}
	if msg := c.unknownRepository(ids); msg != "" {
		c.fail(http.StatusUnprocessableEntity, msg)
		return
	}
	if c.store.full(name) {
		c.fail(http.StatusUnprocessableEntity, c.store.holder.full)
		return
	}

	sec, created := s.writeValue(c.store, name, plaintext, c.w)
	if org || userSecret {
		// The list becomes exactly ids: a selected PUT without the key
		// clears it, as GitHub does, and ids is empty for other visibilities.
		sec.setVisibility(visibility, ids)
	}
	c.store.valueWritten()
	if created {
		writeJSON(c.w, http.StatusCreated, struct{}{})
	} else {
		writeNoContent(c.w)
	}
}

// visibilityAndList checks an organization secret write's visibility and
// returns its repository list (nil when absent), or answers 422.
func (c *call) visibilityAndList(body requestBody, visibility string) ([]int64, bool) {
	if !isVisibility(visibility) {
		c.fail(http.StatusUnprocessableEntity, msgInvalidPrefix+fmt.Sprintf(
			"For 'properties/visibility', %q is not a member of [\"all\", \"private\", \"selected\"].", visibility))
		return nil, false
	}
	// The description lets a secret write of some kinds name repositories
	// by strings of digits as well as by integers.
	ids, msg := body.selectedIDs(kinds[c.kind].stringIDs)
	if msg != "" {
		c.fail(http.StatusUnprocessableEntity, msg)
		return nil, false
	}
	return ids, true
}

// full reports whether st may take no secret called name: it would be one
// more than its holder's limit.
func (st *store) full(name string) bool {
	_, exists := st.secrets[strings.ToUpper(name)]
	return !exists && len(st.secrets) >= st.holder.limit
}

// writeValue makes plaintext the value of st's secret name, sealed for st's
// current key, creating the secret if needed; updated_at moves. w is the
// answer being built, or nil out of band.
func (s *Server) writeValue(st *store, name string, plaintext []byte, w http.ResponseWriter) (sec *secret, created bool) {
	upper := strings.ToUpper(name)
	sec = st.secrets[upper]
	var prev time.Time
	if sec != nil {
		prev = sec.updated
	}
	now := s.stamp(prev, w)
	if sec == nil {
		sec, created = &secret{name: upper, created: now}, true
		st.secrets[upper] = sec
	}
	sec.updated = now
	sec.value = slices.Clone(plaintext)
	sec.keyID = st.keyID
	return sec, created
}

// setVisibility sets a secret's or variable's visibility and makes its list
// exactly ids.
func (l *listed) setVisibility(visibility string, ids []int64) {
	l.visibility = visibility
	l.repos = map[int64]bool{}
	for _, id := range ids {
		l.repos[id] = true
	}
}

func (s *Server) deleteSecret(c *call) {
	sec, ok := c.secret()
	if !ok {
		return
	}
	delete(c.store.secrets, sec.name)
	writeNoContent(c.w)
}

// listed is what keeps a repository list: an organization's (or a user's)
// secret, or an organization variable.
type listed struct {
	visibility string // all | private | selected
	updated    time.Time
	repos      map[int64]bool
}

// The repository list endpoints of a secret.

func (s *Server) listSecretRepositories(c *call) { s.listSelected(c, c.selectedSecretList) }
func (s *Server) setSecretRepositories(c *call)  { s.setSelected(c, c.selectedSecretList) }
func (s *Server) addSecretRepository(c *call)    { s.addSelected(c, c.selectedSecretList) }
func (s *Server) removeSecretRepository(c *call) { s.removeSelected(c, c.selectedSecretList) }

// selectedSecretList is selectedSecret's list.
func (c *call) selectedSecretList() (*listed, bool) {
	sec, ok := c.selectedSecret()
	if !ok {
		return nil, false
	}
	return &sec.listed, true
}

// listSelected answers a page of the list find names; find answers the
// call itself when there is none (404) or it is not selected (409).
func (s *Server) listSelected(c *call, find func() (*listed, bool)) {
	l, ok := find()
	if !ok {
		return
	}
	ids := sortedKeys(l.repos)
	start, end := paginate(c, len(ids))
	page := make([]repositoryJSON, 0, end-start)
	for _, id := range ids[start:end] {
		repo, _ := c.s.repositoryByID(id)
		page = append(page, c.repositoryJSON(repo))
	}
	writeJSON(c.w, http.StatusOK, struct {
		TotalCount   int              `json:"total_count"`
		Repositories []repositoryJSON `json:"repositories"`
	}{len(ids), page})
}

func (s *Server) setSelected(c *call, find func() (*listed, bool)) {
	body, ok := c.readBody()
	if !ok {
		return
	}
	if msg := body.missing("selected_repository_ids"); msg != "" {
		c.fail(http.StatusUnprocessableEntity, msg)
		return
	}
	ids, msg := body.selectedIDs(false)
	if msg != "" {
		c.fail(http.StatusUnprocessableEntity, msg)
		return
	}
	l, ok := find()
	if !ok {
		return
	}
	if msg := c.unknownRepository(ids); msg != "" {
		c.fail(http.StatusUnprocessableEntity, msg)
		return
	}
	s.setRepositories(l, ids, c.w)
	writeNoContent(c.w)
}

func (s *Server) addSelected(c *call, find func() (*listed, bool)) {
	id, ok := c.repositoryID()
	if !ok {
		return
	}
	l, ok := find()
	if !ok {
		return
	}
	if msg := c.unknownRepository([]int64{id}); msg != "" {
		c.fail(http.StatusUnprocessableEntity, msg)
		return
	}
	if !l.repos[id] {
		l.repos[id] = true
		l.updated = s.stamp(l.updated, c.w)
	}
	writeNoContent(c.w)
}

func (s *Server) removeSelected(c *call, find func() (*listed, bool)) {
	id, ok := c.repositoryID()
	if !ok {
		return
	}
	l, ok := find()
	if !ok {
		return
	}
	if l.repos[id] {
		delete(l.repos, id)
		l.updated = s.stamp(l.updated, c.w)
	}
	writeNoContent(c.w)
}

// setRepositories replaces l's list, bumping updated_at only when the set
// changes; w is the answer, or nil out of band.
func (s *Server) setRepositories(l *listed, ids []int64, w http.ResponseWriter) {
	next := map[int64]bool{}
	for _, id := range ids {
		next[id] = true
	}
	if len(next) == len(l.repos) {
		same := true
		for id := range next {
			same = same && l.repos[id]
		}
		if same {
			return
		}
	}
	l.repos = next
	l.updated = s.stamp(l.updated, w)
}

// unknownRepository names the first id the call's secret may not select: not
// a repository of its organization, or, for a user's secret, of any
// organization; "" if none.
func (c *call) unknownRepository(ids []int64) string {
	if c.org != nil {
		return c.org.unknownRepository(ids)
	}
	for _, id := range ids {
		if _, ok := c.s.repositoryByID(id); !ok {
			return fmt.Sprintf("Repository id %d is not a repository you can access.", id)
		}
	}
	return ""
}

// repositoryByID finds a repository of any organization. The caller holds s.mu.
func (s *Server) repositoryByID(id int64) (Repository, bool) {
	for _, o := range s.orgs {
		if r, ok := o.repos[id]; ok {
			return r, true
		}
	}
	return Repository{}, false
}

// unknownRepository names the first id that is not a repository of o; "" if none.
func (o *org) unknownRepository(ids []int64) string {
	for _, id := range ids {
		if _, ok := o.repos[id]; !ok {
			return fmt.Sprintf("Repository id %d is not a repository of the %s organization.", id, o.login)
		}
	}
	return ""
}

// requestBody is a JSON object body, checked field by field the way
// GitHub's schema validation reports problems.
type requestBody map[string]json.RawMessage

func (c *call) readBody() (requestBody, bool) {
	raw, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, maxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			c.fail(http.StatusRequestEntityTooLarge, "Request body is too large.")
		} else {
			c.fail(http.StatusBadRequest, msgBadJSON)
		}
		return nil, false
	}
	body := requestBody{}
	if len(strings.TrimSpace(string(raw))) == 0 {
		return body, true
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		c.fail(http.StatusBadRequest, msgBadJSON)
		return nil, false
	}
	return body, true
}

func (b requestBody) missing(names ...string) string {
	var absent []string
	for _, name := range names {
		if _, ok := b[name]; !ok {
			absent = append(absent, strconv.Quote(name))
		}
	}
	switch len(absent) {
	case 0:
		return ""
	case 1:
		return msgInvalidPrefix + absent[0] + " wasn't supplied."
	default:
		return msgInvalidPrefix + strings.Join(absent, ", ") + " weren't supplied."
	}
}

func (b requestBody) stringField(name string, dst *string) string {
	raw, ok := b[name]
	if !ok {
		return ""
	}
	if err := json.Unmarshal(raw, dst); err != nil || string(raw) == "null" {
		return msgInvalidPrefix + fmt.Sprintf("For 'properties/%s', %s is not a string.", name, showJSON(raw))
	}
	return ""
}

// selectedIDs decodes selected_repository_ids, an array of integers (or,
// with digits, strings of digits as well), dropping duplicates; nil when
// absent.
func (b requestBody) selectedIDs(digits bool) (ids []int64, msg string) {
	const name = "selected_repository_ids"
	raw, ok := b[name]
	if !ok {
		return nil, ""
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil || string(raw) == "null" {
		return nil, msgInvalidPrefix + fmt.Sprintf("For 'properties/%s', %s is not an array.", name, showJSON(raw))
	}
	seen := map[int64]bool{}
	for _, item := range items {
		text := string(item)
		var quoted string
		if digits && json.Unmarshal(item, &quoted) == nil {
			text = quoted
		}
		id, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return nil, msgInvalidPrefix + fmt.Sprintf("For 'items', %s is not an integer.", showJSON(item))
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, ""
}

// showJSON renders a rejected value the way GitHub's messages do (null as nil).
func showJSON(raw json.RawMessage) string {
	s := strings.TrimSpace(string(raw))
	if s == "null" {
		return "nil"
	}
	return s
}

package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Secret is a secret as GitHub reports it; the value is never readable.
// Visibility and SelectedRepositoriesURL are set for organization and user
// secrets only.
type Secret struct {
	Name                    string    `json:"name"`
	CreatedAt               time.Time `json:"created_at"`
	UpdatedAt               time.Time `json:"updated_at"`
	Visibility              string    `json:"visibility"`
	SelectedRepositoriesURL string    `json:"selected_repositories_url,omitempty"`
}

// SecretWrite is the body of a create-or-update call.
type SecretWrite struct {
	EncryptedValue        string
	KeyID                 string
	Visibility            string
	SelectedRepositoryIDs []int64 // nil: the field is omitted from the body; non-nil (even empty): sent
}

// secretWriteBody is the wire form of SecretWrite; omitzero keeps an empty
// but non-nil slice, so "no repositories" can be said explicitly.
type secretWriteBody struct {
	EncryptedValue        string  `json:"encrypted_value"`
	KeyID                 string  `json:"key_id"`
	Visibility            string  `json:"visibility,omitempty"`
	SelectedRepositoryIDs []int64 `json:"selected_repository_ids,omitzero"`
}

type secretsPage struct {
	TotalCount *int     `json:"total_count"`
	Secrets    []Secret `json:"secrets"`
}

func (p *secretsPage) check() error {
	if p.TotalCount == nil || p.Secrets == nil {
		return errors.New("the page has no total_count or no secrets array")
	}
	for i, s := range p.Secrets {
		if err := s.check(); err != nil {
			return fmt.Errorf("secret %d of the page %w", i+1, err)
		}
	}
	return nil
}

// check refuses a secret GitHub would never report: no name or updated_at,
// or a visibility GitHub does not know (organization secrets have one, other
// secrets none).
func (s Secret) check() error {
	if s.Name == "" || s.UpdatedAt.IsZero() || (s.Visibility != "" && !knownVisibility(s.Visibility)) {
		return errors.New("lacks a name or an updated_at, or has an unknown visibility")
	}
	return nil
}

func knownVisibility(v string) bool { return v == "all" || v == "private" || v == "selected" }

// GetSecret returns one secret's metadata.
func (c *Client) GetSecret(ctx context.Context, a Address) (*Secret, error) {
	if err := a.check(); err != nil {
		return nil, err
	}
	req, err := c.newRequest(ctx, http.MethodGet, c.endpoint(a.path(), ""), nil)
	if err != nil {
		return nil, err
	}
	var s Secret
	resp, err := c.do(req, &s)
	if err != nil {
		return nil, err
	}
	if err := s.check(); err != nil || (a.scope.HasRepositoryLists() && s.Visibility == "") {
		return nil, fmt.Errorf("GET %s: %s: unexpected response: the secret lacks a name, an updated_at or a known visibility",
			c.reqPath(req), statusLine(resp.StatusCode))
	}
	return &s, nil
}

// WriteResult is GitHub's answer to a create-or-update call.
type WriteResult struct {
	Created bool // 201: the secret is new; 204: an existing one was replaced
	// At is the server's Date header: GitHub sets updated_at no later than it
	// answers, so At bounds the write's updated_at from above. Zero when the
	// answer carried no usable Date.
	At time.Time
}

// PutSecret creates or updates a secret with an already sealed value.
func (c *Client) PutSecret(ctx context.Context, a Address, w SecretWrite) (WriteResult, error) {
	if err := a.check(); err != nil {
		return WriteResult{}, err
	}
	body := secretWriteBody(w)
	if a.scope.IsUser() {
		body.Visibility = "" // a user's secret has none to choose: GitHub's body has no such field
	}
	req, err := c.newRequest(ctx, http.MethodPut, c.endpoint(a.path(), ""), body, w.EncryptedValue)
	if err != nil {
		return WriteResult{}, err
	}
	c.noteWrite(a)
	defer c.forgetSelectedRepositories(a) // a PUT may change the visibility, and with it the list
	resp, err := c.do(req, nil)
	if err != nil {
		return WriteResult{}, err
	}
	c.notePresent(a, true)
	return WriteResult{Created: resp.StatusCode == http.StatusCreated, At: responseDate(resp)}, nil
}

// responseDate is the Date of resp in UTC, or zero.
func responseDate(resp *http.Response) time.Time {
	t, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// maxSealRounds bounds how often one write is sealed again for a key that
// changed while it was on its way.
const maxSealRounds = 5

// SetSecretValue seals plaintext for the scope's key (cached) and PUTs it.
// When the PUT is answered 422, it reads the key again (a read started after
// the refusal, so never an older key) and, while the key keeps changing,
// seals again and retries, up to maxSealRounds writes in all: a key may
// rotate again while a retry is on its way.
func (c *Client) SetSecretValue(ctx context.Context, a Address, plaintext []byte, visibility string, selectedRepositoryIDs []int64) (WriteResult, error) {
	if err := a.check(); err != nil {
		return WriteResult{}, err
	}
	key, err := c.PublicKey(ctx, a.scope)
	if err != nil {
		return WriteResult{}, err
	}
	for round := 1; ; round++ {
		sealed, err := Seal(key.Key, plaintext)
		if err != nil {
			return WriteResult{}, fmt.Errorf("%s: %w", a, err)
		}
		res, err := c.PutSecret(ctx, a, SecretWrite{
			EncryptedValue:        sealed,
			KeyID:                 key.KeyID,
			Visibility:            visibility,
			SelectedRepositoryIDs: selectedRepositoryIDs,
		})
		if !IsValidation(err) {
			return res, err
		}
		// A 422 may mean the value was sealed for a key that has since rotated.
		fresh, ferr := c.keyAfterRefusal(ctx, a.scope, key.KeyID)
		switch {
		case ferr != nil:
			return WriteResult{}, errors.Join(err, fmt.Errorf("reading the public key again after the failed update: %w", ferr))
		case fresh.KeyID == key.KeyID:
			return WriteResult{}, err // the key is current: GitHub refused something else
		case round == maxSealRounds:
			return WriteResult{}, fmt.Errorf("%w (the public key changed %d times while this value was being written)", err, round)
		}
		key = fresh
	}
}

// DeleteSecret deletes a secret.
func (c *Client) DeleteSecret(ctx context.Context, a Address) error {
	if err := a.check(); err != nil {
		return err
	}
	req, err := c.newRequest(ctx, http.MethodDelete, c.endpoint(a.path(), ""), nil)
	if err != nil {
		return err
	}
	c.noteWrite(a)
	defer c.forgetSelectedRepositories(a)
	_, err = c.do(req, nil)
	if err == nil || IsNotFound(err) {
		c.notePresent(a, false)
	}
	return err
}

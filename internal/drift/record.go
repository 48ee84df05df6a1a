package drift

import (
	"encoding/json"
	"time"
)

// A record is kept in every secret's private state, which Terraform encodes
// twice over (base64 inside base64) and copies with the instance on every
// state operation, so its size is paid per secret on every plan, apply and
// destroy. Version 2 keeps it short: times as Unix seconds, keys of a letter
// or two, and nothing for a field at its usual value.
//
//	{"v":2,"t":1795468692,"s":"a","vis":"selected","r":[1,2],"c":1795468692}
//
// t is UpdatedAt; s the Source, left out for FromGitHub ("a" FromAnswer, "l"
// FromLegacyAnswer); vis the visibility, left out when empty; r the list,
// left out when not known (nil) and present, even empty, when known; c the
// pending change, left out when none; tn and cn the nanoseconds of t and c,
// left out when zero (GitHub's times are whole seconds). A record of nothing
// known is {"v":2}.
//
// Version 1 wrote the struct with long keys and RFC 3339 times:
//
//	{"version":1,"updated_at":"…","source":"github","visibility":"…","repositories":[…],"changed_at":"…"}
type compactRecord struct {
	V          int      `json:"v"`
	T          int64    `json:"t,omitempty"`
	TN         int64    `json:"tn,omitempty"`
	S          string   `json:"s,omitempty"`
	Visibility string   `json:"vis,omitempty"`
	R          *[]int64 `json:"r,omitempty"`
	C          *int64   `json:"c,omitempty"`
	CN         int64    `json:"cn,omitempty"`
}

type recordV1 struct {
	Version      int        `json:"version"`
	UpdatedAt    time.Time  `json:"updated_at"`
	Source       Source     `json:"source"`
	Visibility   string     `json:"visibility"`
	Repositories []int64    `json:"repositories"`
	ChangedAt    *time.Time `json:"changed_at,omitempty"`
}

var (
	sourceCodes = map[Source]string{FromGitHub: "", FromAnswer: "a", FromLegacyAnswer: "l"}
	codeSources = map[string]Source{"": FromGitHub, "a": FromAnswer, "l": FromLegacyAnswer}
)

// MarshalJSON writes r in the current format, whatever its Version says.
func (r Record) MarshalJSON() ([]byte, error) {
	c := compactRecord{V: Version, S: sourceCodes[r.Source], Visibility: r.Visibility}
	if !r.UpdatedAt.IsZero() {
		c.T, c.TN = r.UpdatedAt.Unix(), int64(r.UpdatedAt.Nanosecond())
	}
	if r.Repositories != nil {
		ids := r.Repositories
		c.R = &ids
	}
	if r.ChangedAt != nil {
		at := r.ChangedAt.Unix()
		c.C, c.CN = &at, int64(r.ChangedAt.Nanosecond())
	}
	return json.Marshal(c)
}

// UnmarshalJSON reads a record of any format this release knows as one of
// version Version. A record of a format it does not know (a later release's,
// after a downgrade) keeps that format's number and nothing else, for the
// caller to set aside.
func (r *Record) UnmarshalJSON(raw []byte) error {
	var head struct {
		V       int `json:"v"`
		Version int `json:"version"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return err
	}
	switch {
	case head.V == 2:
		var c compactRecord
		if err := json.Unmarshal(raw, &c); err != nil {
			return err
		}
		*r = Record{Version: Version, Visibility: c.Visibility}
		if c.T != 0 || c.TN != 0 {
			r.UpdatedAt = time.Unix(c.T, c.TN).UTC()
			r.Source = codeSources[c.S]
		}
		if c.R != nil {
			r.Repositories = append([]int64{}, *c.R...)
		}
		if c.C != nil {
			at := time.Unix(*c.C, c.CN).UTC()
			r.ChangedAt = &at
		}
	case head.V == 0 && head.Version == 1:
		var v1 recordV1
		if err := json.Unmarshal(raw, &v1); err != nil {
			return err
		}
		*r = Record{Version: Version, UpdatedAt: v1.UpdatedAt.UTC(), Source: v1.Source, Visibility: v1.Visibility,
			Repositories: v1.Repositories, ChangedAt: v1.ChangedAt}
	default:
		*r = Record{Version: max(head.V, head.Version)}
	}
	return nil
}

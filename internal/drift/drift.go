// Package drift holds the rule that tells a secret's value changed outside
// Terraform from the changes Terraform itself made.
//
// GitHub never returns a value. It moves a secret's updated_at when the value,
// the visibility or (for organization secrets) the repository list changes.
// So the provider keeps a Record of what it last wrote or saw: GitHub's
// updated_at then, the visibility and the repository list. A later updated_at
// that neither a visibility change nor a list change explains is a value
// change. Decide applies that rule; it makes no request and knows nothing of
// Terraform, so every case of it is a row in a table test.
package drift

import (
	"slices"
	"time"
)

// Version is the format of the Record this release writes: 2, the compact
// one (see record.go). A later release reads every earlier version; see
// Legacy for the one before records had one.
const Version = 2

// Source says how a Record came by its UpdatedAt.
type Source string

const (
	// FromGitHub is GitHub's own updated_at: listed, read, or read back right
	// after the provider's write. Exact to GitHub's second.
	FromGitHub Source = "github"
	// FromAnswer is the Date of GitHub's answer to the provider's write, used
	// where this client found that Date agrees with GitHub's own clock: GitHub
	// stamps a write before it answers, so the write's updated_at is no later.
	FromAnswer Source = "answer"
	// FromLegacyAnswer is the Date of an answer as the release before records
	// had a version kept it, without checking it against GitHub's clock; the
	// write's updated_at may run up to LegacySlack past it.
	FromLegacyAnswer Source = "legacy-answer"
)

// LegacySlack is how far GitHub's updated_at was allowed to run past a write's
// answer before records had a version.
const LegacySlack = 2 * time.Second

// Visibility of a secret that keeps a repository list.
const Selected = "selected"

// Record is what the provider last knew of a secret. It holds metadata only
// and is kept between runs in the resource's private state.
//
// Its JSON (record.go) is what Terraform keeps: every record read is version
// Version, whichever known format it was written in.
type Record struct {
	Version int
	// UpdatedAt is GitHub's updated_at after the provider's last write or
	// read, or a bound of it (see Source).
	UpdatedAt time.Time
	Source    Source
	// Visibility is the secret's visibility then.
	Visibility string
	// Repositories is the repository list then, sorted: empty when none, nil
	// when not known or when the secret is not selected.
	Repositories []int64
	// ChangedAt is set while a value change made outside Terraform waits to
	// be written over: GitHub's updated_at of that change.
	ChangedAt *time.Time
}

// slack is how far GitHub's updated_at may run past r.UpdatedAt and still be
// the change r records.
func (r *Record) slack() time.Duration {
	if r.Source == FromLegacyAnswer {
		return LegacySlack
	}
	return 0
}

// movedPast reports whether GitHub's updated_at is later than the record
// allows. GitHub's timestamps have one-second resolution: a change in a later
// second than the recorded one is seen, one in the same second is not.
func (r *Record) movedPast(updatedAt time.Time) bool {
	return updatedAt.After(r.UpdatedAt.Add(r.slack()))
}

// Observation is what GitHub shows of a secret now.
type Observation struct {
	UpdatedAt  time.Time
	Visibility string
	// Repositories is the selected list, sorted, when it was read; nil when
	// not read. NeedsRepositories says when Decide needs it.
	Repositories []int64
}

// Policy says what a value changed outside Terraform means.
type Policy string

const (
	// Restore plans an update that writes the configured value again.
	Restore Policy = "restore"
	// Accept keeps the value GitHub holds: the plan stays empty and the
	// record moves on.
	Accept Policy = "accept"
)

// Verdict is Decide's answer.
type Verdict int

const (
	// Unchanged: nothing moved since the record, or only the provider's own
	// write did.
	Unchanged Verdict = iota
	// Explained: updated_at moved, and a visibility or repository list change
	// explains it, or there was no record to compare with (import). A value
	// change made together with it cannot be told apart.
	Explained
	// Changed: the value changed outside Terraform (now or in an earlier
	// refresh, not yet written over), and the policy restores it.
	Changed
	// Accepted: the value changed outside Terraform and the policy keeps it.
	Accepted
)

func (v Verdict) String() string {
	switch v {
	case Unchanged:
		return "unchanged"
	case Explained:
		return "explained"
	case Changed:
		return "changed"
	case Accepted:
		return "accepted"
	}
	return "unknown"
}

// Result is a verdict and the record to keep.
type Result struct {
	Verdict Verdict
	// ChangedAt is when the value changed outside Terraform, for Changed and
	// Accepted.
	ChangedAt time.Time
	Record    Record
}

// NeedsRepositories reports whether Decide needs the secret's repository list
// to judge obs against rec: only for a selected secret whose list the record
// does not already vouch for, so an unchanged secret costs no list read.
func NeedsRepositories(rec *Record, obs Observation) bool {
	if obs.Visibility != Selected || obs.Repositories != nil {
		return false
	}
	return rec == nil || rec.Repositories == nil || rec.movedPast(obs.UpdatedAt)
}

// Decide applies the rule to what GitHub shows now. rec is nil when nothing is
// recorded (an import, or a record that could not be read).
func Decide(rec *Record, obs Observation, policy Policy) Result {
	seen := selectedList(obs.Visibility, obs.Repositories)
	next := Record{
		Version:      Version,
		UpdatedAt:    obs.UpdatedAt.UTC(),
		Source:       FromGitHub,
		Visibility:   obs.Visibility,
		Repositories: seen,
	}
	if rec == nil {
		return Result{Verdict: Explained, Record: next}
	}
	if seen == nil && obs.Visibility == Selected && rec.Visibility == Selected && !rec.movedPast(obs.UpdatedAt) {
		// Not read again: it cannot have changed without moving updated_at.
		next.Repositories = rec.Repositories
	}

	var verdict Verdict
	switch {
	case !rec.movedPast(obs.UpdatedAt):
		verdict = Unchanged
	case obs.Visibility != rec.Visibility:
		verdict = Explained
	case obs.Visibility != Selected:
		verdict = Changed
	case rec.Repositories == nil || seen == nil || !slices.Equal(rec.Repositories, seen):
		verdict = Explained
	default:
		verdict = Changed
	}

	changedAt := rec.ChangedAt
	if verdict == Changed {
		at := obs.UpdatedAt.UTC()
		changedAt = &at
	}
	if changedAt == nil {
		return Result{Verdict: verdict, Record: next}
	}
	// A change seen in an earlier refresh stays until an apply writes over it.
	if policy == Accept {
		return Result{Verdict: Accepted, ChangedAt: *changedAt, Record: next}
	}
	next.ChangedAt = changedAt
	return Result{Verdict: Changed, ChangedAt: *changedAt, Record: next}
}

// Write is one write the provider made, as GitHub answered it.
type Write struct {
	// At is GitHub's updated_at for the write (exact) or the Date of its
	// answer (a bound, see FromAnswer).
	At    time.Time
	Exact bool
	// Visibility and Repositories are what the secret holds after the write;
	// Repositories is nil when the write left a list it did not know.
	Visibility   string
	Repositories []int64
}

// Wrote is the record after the provider's own write: the value it holds is
// the configured one, so no change outside Terraform is pending.
func Wrote(w Write) Record {
	src := FromAnswer
	if w.Exact {
		src = FromGitHub
	}
	return Record{
		Version:      Version,
		UpdatedAt:    w.At.UTC(),
		Source:       src,
		Visibility:   w.Visibility,
		Repositories: selectedList(w.Visibility, w.Repositories),
	}
}

// Accepting is the record once the policy has become Accept: a pending
// change is kept, not written over.
func (r Record) Accepting() Record {
	r.ChangedAt = nil
	return r
}

// selectedList is ids, sorted, for a selected secret, and nil otherwise.
func selectedList(visibility string, ids []int64) []int64 {
	if visibility != Selected || ids == nil {
		return nil
	}
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// Legacy is what the release before versioned records kept in private state
// (each key absent when not written), with the state's updated_at and
// visibility.
type Legacy struct {
	UpdatedAt  time.Time // zero when state has none
	Visibility string
	// WriteBound was set while UpdatedAt was the Date of the provider's own
	// write rather than GitHub's updated_at.
	WriteBound bool
	// Repositories is the recorded list; nil when none was recorded.
	Repositories []int64
	// ChangedAt is a pending value change; nil when none.
	ChangedAt *time.Time
}

// FromLegacy turns what the earlier release kept into a Record, so its state
// plans as it did: nil when there is nothing to compare with.
func FromLegacy(l Legacy) *Record {
	if l.UpdatedAt.IsZero() {
		return nil
	}
	src := FromGitHub
	if l.WriteBound {
		src = FromLegacyAnswer
	}
	return &Record{
		Version:      Version,
		UpdatedAt:    l.UpdatedAt.UTC(),
		Source:       src,
		Visibility:   l.Visibility,
		Repositories: selectedList(l.Visibility, l.Repositories),
		ChangedAt:    l.ChangedAt,
	}
}

package drift

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 23, 21, 18, 12, 0, time.UTC)

func at(seconds int) time.Time { return t0.Add(time.Duration(seconds) * time.Second) }

func ptr(t time.Time) *time.Time { return &t }

// seen is a record of what a refresh saw at t0+seconds.
func seen(seconds int, visibility string, repos ...int64) *Record {
	r := &Record{Version: Version, UpdatedAt: at(seconds), Source: FromGitHub, Visibility: visibility}
	if visibility == Selected {
		r.Repositories = append([]int64{}, repos...)
	}
	return r
}

func withSource(r *Record, src Source) *Record {
	r.Source = src
	return r
}

func pending(r *Record, seconds int) *Record {
	r.ChangedAt = ptr(at(seconds))
	return r
}

// obs is what GitHub shows at t0+seconds, the list not read.
func obs(seconds int, visibility string) Observation {
	return Observation{UpdatedAt: at(seconds), Visibility: visibility}
}

// list makes an observation that read the list, even an empty one.
func list(o Observation, repos ...int64) Observation {
	o.Repositories = append([]int64{}, repos...)
	return o
}

// TestDecide is the drift rule, case by case: each case of the drift guide,
// and the edges of the clocks and of the records the provider keeps.
func TestDecide(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		rec    *Record
		obs    Observation
		policy Policy
		// want is the verdict; wantChangedAt the change it reports (Changed,
		// Accepted); wantRecord the record to keep.
		want          Verdict
		wantChangedAt time.Time
		wantRecord    Record
	}{
		// The guide's cases.
		{
			name: "guide: a value changed in GitHub's UI",
			rec:  seen(0, "private"), obs: obs(60, "private"),
			want: Changed, wantChangedAt: at(60),
			wantRecord: *pending(seen(60, "private"), 60),
		},
		{
			name: "guide: visibility changed",
			rec:  seen(0, "private"), obs: obs(60, "all"),
			want: Explained, wantRecord: *seen(60, "all"),
		},
		{
			name: "guide: a repository added to a selected secret",
			rec:  seen(0, Selected, 1, 2), obs: list(obs(60, Selected), 1, 2, 3),
			want: Explained, wantRecord: *seen(60, Selected, 1, 2, 3),
		},
		{
			name: "guide: a repository removed from a selected secret",
			rec:  seen(0, Selected, 1, 2), obs: list(obs(60, Selected), 2),
			want: Explained, wantRecord: *seen(60, Selected, 2),
		},
		{
			name: "guide: a selected secret's value changed, its list unchanged",
			rec:  seen(0, Selected, 1, 2), obs: list(obs(60, Selected), 2, 1),
			want: Changed, wantChangedAt: at(60),
			wantRecord: *pending(seen(60, Selected, 1, 2), 60),
		},
		{
			name: "guide limit: value and visibility changed together",
			rec:  seen(0, "all"), obs: obs(60, "private"),
			want: Explained, wantRecord: *seen(60, "private"),
		},
		{
			name: "guide limit: value and list changed together",
			rec:  seen(0, Selected, 1), obs: list(obs(60, Selected), 1, 2),
			want: Explained, wantRecord: *seen(60, Selected, 1, 2),
		},
		{
			name: "visibility and list changed together, value untouched",
			rec:  seen(0, Selected, 1), obs: obs(60, "all"),
			want: Explained, wantRecord: *seen(60, "all"),
		},
		{
			name: "visibility changed to selected with a list",
			rec:  seen(0, "private"), obs: list(obs(60, Selected), 4),
			want: Explained, wantRecord: *seen(60, Selected, 4),
		},
		{
			name: "an empty list stays an empty list, not an unknown one",
			rec:  seen(0, Selected), obs: list(obs(60, Selected)),
			want: Changed, wantChangedAt: at(60),
			wantRecord: *pending(seen(60, Selected), 60),
		},
		{
			name: "nothing moved",
			rec:  seen(0, "all"), obs: obs(0, "all"),
			want: Unchanged, wantRecord: *seen(0, "all"),
		},
		{
			name: "nothing moved: a selected secret keeps its recorded list unread",
			rec:  seen(0, Selected, 7), obs: obs(0, Selected),
			want: Unchanged, wantRecord: *seen(0, Selected, 7),
		},

		// One-second resolution, and the provider's own writes.
		{
			name: "exact record: a change in the next second is seen",
			rec:  seen(0, "private"), obs: obs(1, "private"),
			want: Changed, wantChangedAt: at(1),
			wantRecord: *pending(seen(1, "private"), 1),
		},
		{
			name: "exact record: the same second is the recorded change itself",
			rec:  seen(0, "private"), obs: obs(0, "private"),
			want: Unchanged, wantRecord: *seen(0, "private"),
		},
		{
			name: "own write bounded by the answer's Date: GitHub's earlier updated_at is that write",
			rec:  withSource(seen(5, "private"), FromAnswer), obs: obs(4, "private"),
			want: Unchanged, wantRecord: *seen(4, "private"),
		},
		{
			name: "own write bounded by the answer's Date: the same second is that write",
			rec:  withSource(seen(5, "private"), FromAnswer), obs: obs(5, "private"),
			want: Unchanged, wantRecord: *seen(5, "private"),
		},
		{
			name: "own write bounded by the answer's Date: a change a second after the answer is seen",
			rec:  withSource(seen(5, "private"), FromAnswer), obs: obs(6, "private"),
			want: Changed, wantChangedAt: at(6),
			wantRecord: *pending(seen(6, "private"), 6),
		},
		{
			name: "clock skew: the previous release's write bound allows two seconds",
			rec:  withSource(seen(5, "private"), FromLegacyAnswer), obs: obs(7, "private"),
			want: Unchanged, wantRecord: *seen(7, "private"),
		},
		{
			name: "clock skew: past the previous release's two seconds is a change",
			rec:  withSource(seen(5, "private"), FromLegacyAnswer), obs: obs(8, "private"),
			want: Changed, wantChangedAt: at(8),
			wantRecord: *pending(seen(8, "private"), 8),
		},
		{
			name: "own list-only write recorded: a later value change is seen",
			rec:  recPtr(Wrote(Write{At: at(30), Visibility: Selected, Repositories: []int64{3, 1}})),
			obs:  list(obs(95, Selected), 1, 3),
			want: Changed, wantChangedAt: at(95),
			wantRecord: *pending(seen(95, Selected, 1, 3), 95),
		},
		{
			name: "own list-only write recorded: GitHub's stamp of that write is no change",
			rec:  recPtr(Wrote(Write{At: at(30), Visibility: Selected, Repositories: []int64{1, 3}})),
			obs:  obs(30, Selected),
			want: Unchanged, wantRecord: *seen(30, Selected, 1, 3),
		},
		{
			name: "own visibility-only write recorded: a later value change is seen",
			rec:  recPtr(Wrote(Write{At: at(30), Exact: true, Visibility: "all"})),
			obs:  obs(31, "all"),
			want: Changed, wantChangedAt: at(31),
			wantRecord: *pending(seen(31, "all"), 31),
		},

		// No record, or not enough of one.
		{
			name: "import: no record, nothing to compare with",
			rec:  nil, obs: list(obs(60, Selected), 2, 1),
			want: Explained, wantRecord: *seen(60, Selected, 1, 2),
		},
		{
			name: "a selected secret whose recorded list is unknown cannot be judged",
			rec:  &Record{Version: Version, UpdatedAt: at(0), Source: FromGitHub, Visibility: Selected},
			obs:  list(obs(60, Selected), 1),
			want: Explained, wantRecord: *seen(60, Selected, 1),
		},

		// A change waiting to be written over, and the policy.
		{
			name: "a change seen by an earlier refresh stays until an apply writes over it",
			rec:  pending(seen(60, "private"), 60), obs: obs(60, "private"),
			want: Changed, wantChangedAt: at(60),
			wantRecord: *pending(seen(60, "private"), 60),
		},
		{
			name: "a pending change survives a later explained move",
			rec:  pending(seen(60, "private"), 60), obs: obs(90, "all"),
			want: Changed, wantChangedAt: at(60),
			wantRecord: *pending(seen(90, "all"), 60),
		},
		{
			name: "a second change moves the pending time on",
			rec:  pending(seen(60, "private"), 60), obs: obs(90, "private"),
			want: Changed, wantChangedAt: at(90),
			wantRecord: *pending(seen(90, "private"), 90),
		},
		{
			name: "accept: a value changed outside Terraform is kept and the record moves on",
			rec:  seen(0, "private"), obs: obs(60, "private"), policy: Accept,
			want: Accepted, wantChangedAt: at(60), wantRecord: *seen(60, "private"),
		},
		{
			name: "accept: a change pending from before the setting is let go",
			rec:  pending(seen(60, "private"), 60), obs: obs(60, "private"), policy: Accept,
			want: Accepted, wantChangedAt: at(60), wantRecord: *seen(60, "private"),
		},
		{
			name: "accept: nothing changed is still unchanged",
			rec:  seen(0, "private"), obs: obs(0, "private"), policy: Accept,
			want: Unchanged, wantRecord: *seen(0, "private"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			policy := tt.policy
			if policy == "" {
				policy = Restore
			}
			got := Decide(tt.rec, tt.obs, policy)
			if got.Verdict != tt.want {
				t.Errorf("verdict = %s, want %s", got.Verdict, tt.want)
			}
			if !got.ChangedAt.Equal(tt.wantChangedAt) {
				t.Errorf("changed at = %s, want %s", got.ChangedAt, tt.wantChangedAt)
			}
			if !reflect.DeepEqual(got.Record, tt.wantRecord) {
				t.Errorf("record = %+v, want %+v", show(got.Record), show(tt.wantRecord))
			}
		})
	}
}

func recPtr(r Record) *Record { return &r }

func show(r Record) string {
	b, _ := json.Marshal(r)
	return fmt.Sprintf("version %d %s", r.Version, b)
}

// TestNeedsRepositories: the list costs a request, so it is read only when
// the rule cannot do without it.
func TestNeedsRepositories(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rec  *Record
		obs  Observation
		want bool
	}{
		{"not selected", seen(0, "private"), obs(60, "all"), false},
		{"selected, unchanged, list recorded", seen(0, Selected, 1), obs(0, Selected), false},
		{"selected, moved", seen(0, Selected, 1), obs(60, Selected), true},
		{"selected, no record (import)", nil, obs(60, Selected), true},
		{"selected, recorded list unknown", &Record{Version: Version, UpdatedAt: at(0), Visibility: Selected}, obs(0, Selected), true},
		{"selected, moved, list already read", seen(0, Selected, 1), list(obs(60, Selected), 1), false},
		{"selected, within the previous release's slack", withSource(seen(0, Selected, 1), FromLegacyAnswer), obs(2, Selected), false},
	}
	for _, tt := range tests {
		if got := NeedsRepositories(tt.rec, tt.obs); got != tt.want {
			t.Errorf("%s: NeedsRepositories = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestWrote: the record a write leaves is the provider's own change, with no
// change outside Terraform pending.
func TestWrote(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		w    Write
		want Record
	}{
		{"exact", Write{At: at(3), Exact: true, Visibility: "all"}, *seen(3, "all")},
		{"answer's Date", Write{At: at(3), Visibility: "private"}, *withSource(seen(3, "private"), FromAnswer)},
		{"selected list sorted", Write{At: at(3), Exact: true, Visibility: Selected, Repositories: []int64{9, 2}}, *seen(3, Selected, 2, 9)},
		{"list of a secret that is not selected dropped", Write{At: at(3), Exact: true, Visibility: "all", Repositories: []int64{9}}, *seen(3, "all")},
		{"local time zone", Write{At: at(3).In(time.FixedZone("x", 3600)), Exact: true, Visibility: "all"}, *seen(3, "all")},
	}
	for _, tt := range tests {
		if got := Wrote(tt.w); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Wrote = %s, want %s", tt.name, show(got), show(tt.want))
		}
	}
}

// TestFromLegacy: what the release before versioned records kept plans as it
// did then.
func TestFromLegacy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		l    Legacy
		want *Record
	}{
		{"no updated_at in state (import)", Legacy{Visibility: "all"}, nil},
		{"after a refresh", Legacy{UpdatedAt: at(0), Visibility: "all"}, seen(0, "all")},
		{"right after a write", Legacy{UpdatedAt: at(0), Visibility: "all", WriteBound: true}, withSource(seen(0, "all"), FromLegacyAnswer)},
		{"selected with its list", Legacy{UpdatedAt: at(0), Visibility: Selected, Repositories: []int64{5, 4}}, seen(0, Selected, 4, 5)},
		{"selected with an empty list", Legacy{UpdatedAt: at(0), Visibility: Selected, Repositories: []int64{}}, seen(0, Selected)},
		{"selected, no list recorded", Legacy{UpdatedAt: at(0), Visibility: Selected},
			&Record{Version: Version, UpdatedAt: at(0), Source: FromGitHub, Visibility: Selected}},
		{"a value change pending", Legacy{UpdatedAt: at(60), Visibility: "private", ChangedAt: ptr(at(60))}, pending(seen(60, "private"), 60)},
	}
	for _, tt := range tests {
		if got := FromLegacy(tt.l); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: FromLegacy = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// TestRecordJSON: the record's format is what later releases read; an empty
// list and an unknown one stay apart, and every field comes back.
func TestRecordJSON(t *testing.T) {
	t.Parallel()
	nanos := seen(0, Selected, 3)
	nanos.UpdatedAt = nanos.UpdatedAt.Add(5 * time.Millisecond)
	nanos.ChangedAt = ptr(at(7).Add(time.Nanosecond))
	for _, r := range []*Record{
		seen(0, Selected), seen(0, Selected, 1, 2), seen(0, "all"), pending(seen(9, "private"), 9),
		withSource(seen(0, "private"), FromAnswer), withSource(seen(0, Selected, 4), FromLegacyAnswer),
		seen(0, ""), nanos, {Version: Version},
	} {
		raw, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back Record
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(&back, r) {
			t.Errorf("%s read back as %s, want %s", raw, show(back), show(*r))
		}
	}
	for _, tt := range []struct {
		rec  *Record
		want string
	}{
		{seen(0, Selected), `{"v":2,"t":1795468692,"vis":"selected","r":[]}`},
		{withSource(pending(seen(0, "private"), 9), FromAnswer), `{"v":2,"t":1795468692,"s":"a","vis":"private","c":1795468701}`},
		{&Record{Version: Version}, `{"v":2}`},
	} {
		if raw, _ := json.Marshal(tt.rec); string(raw) != tt.want {
			t.Errorf("record JSON = %s, want %s", raw, tt.want)
		}
	}
}

// TestRecordJSONReadsEveryVersion: a record written by an earlier release
// reads as the same record; one of a format this release does not know keeps
// its number so the caller sets it aside.
func TestRecordJSONReadsEveryVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		want Record
	}{
		{`{"version":1,"updated_at":"2026-11-23T21:18:12Z","source":"github","visibility":"selected","repositories":[]}`,
			*seen(0, Selected)},
		{`{"version":1,"updated_at":"2026-11-23T21:18:12Z","source":"answer","visibility":"selected","repositories":[2,5]}`,
			*withSource(seen(0, Selected, 2, 5), FromAnswer)},
		{`{"version":1,"updated_at":"2026-11-23T21:18:21Z","source":"github","visibility":"private","repositories":null,"changed_at":"2026-11-23T21:18:21Z"}`,
			*pending(seen(9, "private"), 9)},
		{`{"version":1,"updated_at":"0001-01-01T00:00:00Z","source":"","visibility":"","repositories":null}`,
			Record{Version: Version}},
		{`{"v":3,"t":1795468692}`, Record{Version: 3}},
		{`{"version":7}`, Record{Version: 7}},
		{`{}`, Record{}},
	}
	for _, tt := range tests {
		var got Record
		if err := json.Unmarshal([]byte(tt.raw), &got); err != nil {
			t.Fatalf("%s: %v", tt.raw, err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s read as %s, want %s", tt.raw, show(got), show(tt.want))
		}
	}
}

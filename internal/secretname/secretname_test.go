package secretname

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		wantErr string
	}{
		{"MY_SECRET", ""},
		{"my_secret", ""},
		{"_LEADING_UNDERSCORE", ""},
		{"A1", ""},
		{"GITHUBX", ""},
		{"", "empty"},
		{"1SECRET", "starts with a digit"},
		{"MY-SECRET", "other than a letter"},
		{"MY SECRET", "other than a letter"},
		{"SÉCRET", "other than a letter"},
		{"GITHUB_TOKEN", "reserved prefix"},
		{"github_token", "reserved prefix"},
		{"GitHub_Thing", "reserved prefix"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := Validate(tc.name)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate(%q) = %v, want nil", tc.name, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Validate(%q) = %v, want error containing %q", tc.name, err, tc.wantErr)
			}
		})
	}
}

func TestNormalizeAndEqual(t *testing.T) {
	t.Parallel()
	if got := Normalize("my_Secret"); got != "MY_SECRET" {
		t.Fatalf("Normalize = %q, want MY_SECRET", got)
	}
	if !Equal("my_secret", "MY_SECRET") {
		t.Fatal("Equal should ignore case")
	}
	if Equal("MY_SECRET", "MY_SECRET2") {
		t.Fatal("Equal should compare whole names")
	}
}

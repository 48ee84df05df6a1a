package provider

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
)

// TestAddressPartValidators: each part of an address is checked at validate
// time with the rule of the one constructor, and the diagnostic names the
// attribute and says what is wrong.
func TestAddressPartValidators(t *testing.T) {
	t.Parallel()
	cases := []struct {
		field   client.Field
		attr    string
		value   types.String
		wantErr string
	}{
		{client.FieldName, "secret_name", types.StringValue("DEPLOY_TOKEN"), ""},
		{client.FieldName, "secret_name", types.StringValue("deploy_token"), ""},
		{client.FieldName, "secret_name", types.StringNull(), ""},
		{client.FieldName, "secret_name", types.StringUnknown(), ""},
		{client.FieldName, "secret_name", types.StringValue("9LIVES"), "starts with a digit"},
		{client.FieldName, "secret_name", types.StringValue("GitHub_Token"), "reserved prefix GITHUB_"},
		{client.FieldName, "secret_name", types.StringValue("DEPLOY-TOKEN"), "other than a letter"},
		{client.FieldRepository, "repository", types.StringValue("api.v2_x-y"), ""},
		{client.FieldRepository, "repository", types.StringValue("acme/api"), "give the name after the `/` only"},
		{client.FieldRepository, "repository", types.StringValue(".."), "dot segment"},
		{client.FieldRepository, "repository", types.StringValue("."), "dot segment"},
		{client.FieldEnvironment, "environment", types.StringValue("staging/eu west"), ""},
		{client.FieldEnvironment, "environment", types.StringValue(strings.Repeat("ü", 200)), ""},
		{client.FieldEnvironment, "environment", types.StringValue(strings.Repeat("ü", 255)), ""},
		{client.FieldEnvironment, "environment", types.StringValue(strings.Repeat("ü", 256)), "256 characters"},
		{client.FieldEnvironment, "environment", types.StringValue(".."), "dot segment"},
		{client.FieldEnvironment, "environment", types.StringValue("."), "dot segment"},
		{client.FieldEnvironment, "environment", types.StringValue("a\x00b"), "control character"},
		{client.FieldEnvironment, "environment", types.StringValue("prod\n"), "control character"},
		{client.FieldEnvironment, "environment", types.StringValue(""), "empty"},
	}
	for _, tc := range cases {
		t.Run(tc.attr+" "+tc.value.String(), func(t *testing.T) {
			t.Parallel()
			resp := &validator.StringResponse{}
			addressPartValidator{tc.field}.ValidateString(context.Background(), validator.StringRequest{
				Path: path.Root(tc.attr), ConfigValue: tc.value,
			}, resp)
			checkDiagnostic(t, resp, tc.wantErr, tc.attr)
		})
	}
}

func TestEncryptedValueValidator(t *testing.T) {
	t.Parallel()
	const notBase64 = "this is not base64 and must not be echoed"
	cases := []struct {
		value   types.String
		wantErr string
	}{
		{types.StringValue(base64.StdEncoding.EncodeToString(make([]byte, 48))), ""},   // sealed empty value
		{types.StringValue(base64.StdEncoding.EncodeToString(make([]byte, 49+1))), ""}, // padded
		{types.StringValue(base64.StdEncoding.EncodeToString(make([]byte, 48*1024+48))), ""},
		{types.StringValue("c2VjcmV0"), "fewer than the 48 bytes"},
		{types.StringValue(base64.StdEncoding.EncodeToString(make([]byte, 47))), "fewer than the 48 bytes"},
		{types.StringValue(base64.StdEncoding.EncodeToString(make([]byte, 48*1024+49))), "limit of 49152"},
		{types.StringNull(), ""},
		{types.StringUnknown(), ""},
		{types.StringValue(notBase64), "standard base64"},
		{types.StringValue("c2VjcmV0cw"), "standard base64"}, // missing padding
		{types.StringValue(""), "standard base64"},
	}
	for _, tc := range cases {
		t.Run(tc.value.String(), func(t *testing.T) {
			t.Parallel()
			resp := &validator.StringResponse{}
			encryptedValueValidator{}.ValidateString(context.Background(), validator.StringRequest{
				Path: path.Root("encrypted_value_wo"), ConfigValue: tc.value,
			}, resp)
			checkDiagnostic(t, resp, tc.wantErr, "encrypted_value_wo")
			for _, d := range resp.Diagnostics {
				if strings.Contains(d.Detail(), notBase64) || strings.Contains(d.Summary(), notBase64) {
					t.Fatal("the diagnostic echoes the configured value")
				}
			}
		})
	}
}

func checkDiagnostic(t *testing.T, resp *validator.StringResponse, wantErr, attr string) {
	t.Helper()
	if wantErr == "" {
		if resp.Diagnostics.HasError() {
			t.Fatalf("unexpected error: %v", resp.Diagnostics)
		}
		return
	}
	if resp.Diagnostics.ErrorsCount() != 1 {
		t.Fatalf("got %d errors, want 1: %v", resp.Diagnostics.ErrorsCount(), resp.Diagnostics)
	}
	d := resp.Diagnostics.Errors()[0]
	if !strings.Contains(d.Detail(), wantErr) || !strings.Contains(d.Detail(), attr) {
		t.Fatalf("detail %q should name %s and contain %q", d.Detail(), attr, wantErr)
	}
}

package provider

import (
	"maps"
	"testing"
)

// TestquietLogSettings: the provider's loggers are turned off only where
// Terraform keeps none of their lines; any log setting keeps them all.
func TestQuietLogSettings(t *testing.T) {
	t.Parallel()
	off := map[string]string{envLogSDK: "OFF", envLogSDKProto: "OFF", envLogSDKFramework: "OFF", envLogProvider: "OFF"}
	tests := []struct {
		name string
		env  map[string]string
		want map[string]string
	}{
		{"nothing set", nil, off},
		{"TF_LOG", map[string]string{envLog: "TRACE"}, nil},
		{"TF_LOG=json", map[string]string{envLog: "json"}, nil},
		{"TF_LOG_PROVIDER", map[string]string{envLogProvider: "DEBUG"}, nil},
		{"in-process test logs", map[string]string{envAccLogPath: "/tmp/x.log"}, nil},
		{"per-test log files", map[string]string{envLogPathMask: "/tmp/%s.log"}, nil},
		{"a library level given", map[string]string{envLogSDKFramework: "TRACE"},
			map[string]string{envLogSDK: "OFF", envLogSDKProto: "OFF", envLogProvider: "OFF"}},
		{"the protocol dump", map[string]string{"TF_LOG_SDK_PROTO_DATA_DIR": "/tmp/dump"}, off},
	}
	for _, tt := range tests {
		got := quietLogSettings(func(k string) string { return tt.env[k] })
		if !maps.Equal(got, tt.want) {
			t.Errorf("%s: settings %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestProviderLogsKept: the client logs unless the provider's logger is off.
func TestProviderLogsKept(t *testing.T) {
	t.Parallel()
	for env, want := range map[string]bool{"": true, "TRACE": true, "debug": true, "OFF": false, "off": false} {
		if got := providerLogsKept(func(k string) string {
			if k == envLogProvider {
				return env
			}
			return ""
		}); got != want {
			t.Errorf("TF_LOG_PROVIDER=%q: logs kept %v, want %v", env, got, want)
		}
	}
	// What QuietLogs sets where Terraform keeps nothing turns the client's logs off.
	quiet := quietLogSettings(func(string) string { return "" })
	if providerLogsKept(func(k string) string { return quiet[k] }) {
		t.Error("with no log variable set, the client still logs")
	}
}

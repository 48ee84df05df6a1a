package client

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/nacl/box"
)

// Seal encrypts plaintext with a libsodium sealed box
// (crypto_box_seal) for a base64 curve25519 public key, as GitHub expects
// for secret values, and returns the ciphertext in standard base64.
func Seal(publicKeyB64 string, plaintext []byte) (string, error) {
	return sealWith(rand.Reader, publicKeyB64, plaintext)
}

// sealWith is Seal drawing the ephemeral key from random, so tests can fix
// it and compare the sealed bytes with libsodium's.
func sealWith(random io.Reader, publicKeyB64 string, plaintext []byte) (string, error) {
	pk, err := decodePublicKey(publicKeyB64)
	if err != nil {
		return "", err
	}
	out := make([]byte, 0, len(plaintext)+box.AnonymousOverhead)
	out, err = box.SealAnonymous(out, plaintext, pk, random)
	if err != nil {
		return "", fmt.Errorf("sealing secret value: %w", err)
	}
	return base64.StdEncoding.EncodeToString(out), nil
}

func decodePublicKey(b64 string) (*[32]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, errors.New("public key is not valid standard base64")
	}
	if len(raw) != 32 {
		return nil, fmt.Errorf("public key is %d bytes, want 32 (curve25519)", len(raw))
	}
	var pk [32]byte
	copy(pk[:], raw)
	return &pk, nil
}

//! Signed survey tokens: who may answer for which ticket, and until when.
//!
//! A token is `v1.<ticket id>.<expiry>.<mac>`: the ticket id in unpadded base64url, the expiry
//! in Unix seconds, and an HMAC-SHA256 over both, keyed by the project's survey secret. The MAC
//! input is length-prefixed, so no pair of id and expiry shares another pair's input.
//!
//! Keys rotate without breaking links already sent. The secret contains several keys: the
//! first signs new tokens, and every key verifies. An old key keeps its links working until it is
//! removed from the secret.

use std::fmt;
use std::path::Path;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::time::Instant;

type HmacSha256 = Hmac<Sha256>;

/// The shortest key accepted, in bytes: the output size of SHA-256.
pub const MIN_KEY_BYTES: usize = 32;

const VERSION: &str = "v1";
const MAC_CONTEXT: &[u8] = b"slaudit survey token v1";

/// The keys that sign and verify tokens. The first signs; all verify.
#[derive(Clone)]
pub struct SigningKeys {
    keys: Vec<Vec<u8>>,
}

impl fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKeys({} keys)", self.keys.len())
    }
}

/// A secret that cannot be used to sign tokens. Messages never contain key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("{source_name} holds no key; put at least one key of {MIN_KEY_BYTES} or more bytes in it, such as the output of `openssl rand -hex 32`")]
    Empty { source_name: String },
    #[error("key {position} in {source_name} is {length} bytes long, but a key needs at least {MIN_KEY_BYTES} bytes; generate one with `openssl rand -hex 32`")]
    TooShort {
        source_name: String,
        position: usize,
        length: usize,
    },
}

impl SigningKeys {
    /// Builds keys from a list, first the signing key; each must have `MIN_KEY_BYTES` bytes.
    /// `source_name` names where the keys came from, for messages.
    pub fn new(keys: Vec<Vec<u8>>, source_name: &str) -> Result<SigningKeys, KeyError> {
        if keys.is_empty() {
            return Err(KeyError::Empty {
                source_name: source_name.to_string(),
            });
        }
        for (index, key) in keys.iter().enumerate() {
            if key.len() < MIN_KEY_BYTES {
                return Err(KeyError::TooShort {
                    source_name: source_name.to_string(),
                    position: index + 1,
                    length: key.len(),
                });
            }
        }
        Ok(SigningKeys { keys })
    }

    /// Reads the value of an environment variable: keys separated by commas.
    pub fn from_env_value(value: &str, variable: &str) -> Result<SigningKeys, KeyError> {
        let keys = value
            .split(',')
            .map(str::trim)
            .filter(|key| !key.is_empty())
            .map(|key| key.as_bytes().to_vec())
            .collect();
        SigningKeys::new(keys, &format!("environment variable {variable}"))
    }

    /// Reads the text of a key file: one key per line; blank lines and `#` comments are skipped.
    pub fn from_file_text(text: &str, path: &Path) -> Result<SigningKeys, KeyError> {
        let keys = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|key| key.as_bytes().to_vec())
            .collect();
        SigningKeys::new(keys, &path.display().to_string())
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Signs a token for a ticket, valid until `expires` (inclusive).
    pub fn sign(&self, ticket_id: &str, expires: Instant) -> String {
        let mac = mac_for(&self.keys[0], ticket_id, expires)
            .finalize()
            .into_bytes();
        format!(
            "{VERSION}.{}.{expires}.{}",
            base64url_encode(ticket_id.as_bytes()),
            base64url_encode(&mac)
        )
    }

    /// Checks a token's form, its MAC against every key and then its expiry at `now`.
    pub fn verify(&self, token: &str, now: Instant) -> Result<VerifiedToken, TokenError> {
        let parsed = parse_token(token).ok_or(TokenError::Malformed)?;
        let mut valid = false;
        // Every key is tried, so the time taken does not tell which key matched.
        for key in &self.keys {
            let mac = mac_for(key, &parsed.ticket_id, parsed.expires);
            valid |= mac.verify_slice(&parsed.mac).is_ok();
        }
        if !valid {
            return Err(TokenError::BadSignature);
        }
        if now > parsed.expires {
            return Err(TokenError::Expired {
                ticket_id: parsed.ticket_id,
                expires: parsed.expires,
            });
        }
        Ok(VerifiedToken {
            ticket_id: parsed.ticket_id,
            expires: parsed.expires,
        })
    }
}

/// A token whose MAC and expiry were checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    pub ticket_id: String,
    pub expires: Instant,
}

/// The reason a token was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    /// The token does not have the form `v1.<id>.<expiry>.<mac>`.
    Malformed,
    /// No key gives the token's MAC: the token was altered or its key was removed.
    BadSignature,
    /// The token is genuine but its expiry has passed.
    Expired { ticket_id: String, expires: Instant },
}

struct ParsedToken {
    ticket_id: String,
    expires: Instant,
    mac: Vec<u8>,
}

fn parse_token(token: &str) -> Option<ParsedToken> {
    let mut parts = token.split('.');
    let (version, id, expires, mac) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if version != VERSION || parts.next().is_some() {
        return None;
    }
    let ticket_id = String::from_utf8(base64url_decode(id)?).ok()?;
    if ticket_id.is_empty()
        || expires.is_empty()
        || expires.len() > 19
        || !expires.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let expires: Instant = expires.parse().ok()?;
    let mac = base64url_decode(mac)?;
    if mac.len() != 32 {
        return None;
    }
    Some(ParsedToken {
        ticket_id,
        expires,
        mac,
    })
}

fn mac_for(key: &[u8], ticket_id: &str, expires: Instant) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(MAC_CONTEXT);
    mac.update(&(ticket_id.len() as u64).to_be_bytes());
    mac.update(ticket_id.as_bytes());
    mac.update(&expires.to_be_bytes());
    mac
}

const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encodes bytes as base64url without padding (RFC 4648, section 5).
pub fn base64url_encode(bytes: &[u8]) -> String {
    encode_with(bytes, URL_SAFE, false)
}

/// Encodes bytes as standard base64 with padding (RFC 4648, section 4), as CSP hashes need.
pub fn base64_encode(bytes: &[u8]) -> String {
    encode_with(bytes, STANDARD, true)
}

fn encode_with(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let group = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let symbols = chunk.len() + 1;
        for index in 0..4 {
            if index < symbols {
                let six = (group >> (18 - 6 * index)) & 0x3f;
                text.push(char::from(alphabet[six as usize]));
            } else if pad {
                text.push('=');
            }
        }
    }
    text
}

/// Decodes unpadded base64url, accepting only the canonical encoding of each byte string.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 == 1 {
        return None;
    }
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    let mut group: u32 = 0;
    let mut bits = 0;
    for symbol in text.bytes() {
        let value = URL_SAFE.iter().position(|&c| c == symbol)? as u32;
        group = (group << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((group >> bits) as u8);
            group &= (1 << bits) - 1;
        }
    }
    // Bits left over must be zero, or two texts would decode to the same bytes.
    if group != 0 {
        return None;
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const KEY_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    fn keys(list: &[&str]) -> SigningKeys {
        SigningKeys::new(list.iter().map(|k| k.as_bytes().to_vec()).collect(), "test").unwrap()
    }

    /// Replaces part `index` of a token (0 = version … 3 = MAC).
    fn with_part(token: &str, index: usize, value: &str) -> String {
        let mut parts: Vec<&str> = token.split('.').collect();
        parts[index] = value;
        parts.join(".")
    }

    #[test]
    fn base64url_matches_rfc4648_vectors() {
        // RFC 4648, section 10, with the padding removed.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url_encode(plain.as_bytes()), encoded);
            assert_eq!(base64url_decode(encoded).unwrap(), plain.as_bytes());
        }
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64_encode(&[0xfb, 0xff]), "+/8=");
        assert_eq!(base64_encode(b"foob"), "Zm9vYg==");
    }

    #[test]
    fn base64url_rejects_noncanonical_text() {
        assert_eq!(base64url_decode("Zh"), None, "nonzero trailing bits");
        assert_eq!(base64url_decode("Zm9vY"), None, "impossible length");
        assert_eq!(base64url_decode("Zm9v+g"), None, "standard alphabet");
        assert_eq!(base64url_decode("Zg=="), None, "padding");
    }

    #[test]
    fn token_round_trips() {
        let keys = keys(&[KEY_A]);
        let token = keys.sign("INC0010001", 1_800_000_000);
        assert!(
            token.starts_with("v1.SU5DMDAxMDAwMQ.1800000000."),
            "{token}"
        );
        let verified = keys.verify(&token, 1_700_000_000).unwrap();
        assert_eq!(verified.ticket_id, "INC0010001");
        assert_eq!(verified.expires, 1_800_000_000);
    }

    #[test]
    fn token_mac_is_hmac_sha256_of_documented_input() {
        let keys = keys(&[KEY_A]);
        let token = keys.sign("T-1", 42);
        let mut reference = HmacSha256::new_from_slice(KEY_A.as_bytes()).unwrap();
        let mut input = b"slaudit survey token v1".to_vec();
        input.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 3]);
        input.extend_from_slice(b"T-1");
        input.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 42]);
        reference.update(&input);
        let expected = base64url_encode(&reference.finalize().into_bytes());
        assert_eq!(token.rsplit('.').next().unwrap(), expected);
    }

    #[test]
    fn tampered_ticket_id_fails() {
        let keys = keys(&[KEY_A]);
        let token = keys.sign("INC0010001", 1_800_000_000);
        let forged = with_part(&token, 1, &base64url_encode(b"INC0010002"));
        assert_eq!(
            keys.verify(&forged, 1_700_000_000),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn tampered_expiry_fails() {
        let keys = keys(&[KEY_A]);
        let token = keys.sign("INC0010001", 1_700_000_000);
        let forged = with_part(&token, 2, "1900000000");
        assert_eq!(
            keys.verify(&forged, 1_800_000_000),
            Err(TokenError::BadSignature),
            "a later expiry must not turn an expired token into a valid one"
        );
    }

    #[test]
    fn expired_token_names_its_expiry() {
        let keys = keys(&[KEY_A]);
        let token = keys.sign("INC0010001", 1_000);
        assert!(keys.verify(&token, 1_000).is_ok(), "valid at its expiry");
        assert_eq!(
            keys.verify(&token, 1_001),
            Err(TokenError::Expired {
                ticket_id: "INC0010001".to_string(),
                expires: 1_000
            })
        );
    }

    #[test]
    fn rotated_key_still_verifies() {
        let old = keys(&[KEY_A]);
        let token = old.sign("INC0010001", 2_000);
        let rotated = keys(&[KEY_B, KEY_A]);
        assert!(rotated.verify(&token, 1_000).is_ok());
        let new_token = rotated.sign("INC0010001", 2_000);
        assert_ne!(new_token, token, "the first key signs");
        assert_eq!(old.verify(&new_token, 1_000), Err(TokenError::BadSignature));
    }

    #[test]
    fn removed_key_fails() {
        let token = keys(&[KEY_A]).sign("INC0010001", 2_000);
        let after_removal = keys(&[KEY_B]);
        assert_eq!(
            after_removal.verify(&token, 1_000),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn malformed_tokens_are_rejected() {
        let keys = keys(&[KEY_A]);
        let token = keys.sign("INC0010001", 2_000);
        for bad in [
            String::new(),
            "garbage".to_string(),
            with_part(&token, 0, "v2"),
            with_part(&token, 1, ""),
            with_part(&token, 1, "%%%"),
            with_part(&token, 2, "-5"),
            with_part(&token, 2, "+5"),
            with_part(&token, 2, "99999999999999999999"),
            with_part(&token, 3, "AAAA"),
            format!("{token}.extra"),
        ] {
            assert_eq!(
                keys.verify(&bad, 1_000),
                Err(TokenError::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn keys_come_from_env_value_and_file_text() {
        let env = SigningKeys::from_env_value(&format!(" {KEY_B} ,{KEY_A},"), "SECRET").unwrap();
        assert_eq!(env.len(), 2);
        let token = keys(&[KEY_B]).sign("X", 10);
        assert!(env.verify(&token, 1).is_ok(), "the first listed key signs");
        let file = SigningKeys::from_file_text(
            &format!("# current key first\n{KEY_A}\n\n{KEY_B}\n"),
            Path::new("secret.txt"),
        )
        .unwrap();
        assert_eq!(file.len(), 2);
        assert_eq!(file.sign("X", 10), keys(&[KEY_A]).sign("X", 10));
    }

    #[test]
    fn short_or_missing_keys_are_rejected() {
        let short = SigningKeys::from_env_value(&format!("{KEY_A},short"), "SECRET").unwrap_err();
        assert_eq!(
            short.to_string(),
            "key 2 in environment variable SECRET is 5 bytes long, but a key needs at least 32 bytes; generate one with `openssl rand -hex 32`"
        );
        assert!(!short.to_string().contains(KEY_A));
        let empty = SigningKeys::from_file_text("# nothing yet\n", Path::new("s.txt")).unwrap_err();
        assert_eq!(
            empty,
            KeyError::Empty {
                source_name: "s.txt".to_string()
            }
        );
    }

    #[test]
    fn debug_output_hides_keys() {
        let text = format!("{:?}", keys(&[KEY_A]));
        assert_eq!(text, "SigningKeys(1 keys)");
    }
}

//! Bounds on the cost of one client: a per-client rate limit, the body limit and the client
//! address behind a reverse proxy.

use std::collections::HashMap;
use std::io::{self, Read};
use std::net::IpAddr;

use super::settings::RateSettings;

/// A client as the rate limiter counts it: an IPv4 address, or the /64 network of an IPv6
/// address, because one IPv6 host usually controls a whole /64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientKey {
    V4(u32),
    V6Net(u64),
}

impl ClientKey {
    pub fn of(address: IpAddr) -> ClientKey {
        match address {
            IpAddr::V4(v4) => ClientKey::V4(u32::from(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientKey::V4(u32::from(v4)),
                None => ClientKey::V6Net((u128::from(v6) >> 64) as u64),
            },
        }
    }
}

/// Tokens are counted in 1/60,000ths, so that `per_minute` of them accrue every millisecond
/// and the arithmetic stays in integers.
const TOKEN: u64 = 60_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: u64,
    updated_ms: i64,
}

/// A token bucket per client over a table of bounded size.
///
/// Each client starts with `burst` tokens, spends one per request and regains
/// `per_minute` tokens a minute, up to `burst`. When the table is full, buckets that have
/// refilled completely are dropped first (forgetting them changes nothing), then the bucket
/// idle the longest.
#[derive(Debug)]
pub struct RateLimiter {
    settings: RateSettings,
    buckets: HashMap<ClientKey, Bucket>,
}

impl RateLimiter {
    pub fn new(settings: RateSettings) -> RateLimiter {
        RateLimiter {
            settings,
            buckets: HashMap::new(),
        }
    }

    fn capacity(&self) -> u64 {
        u64::from(self.settings.burst) * TOKEN
    }

    fn refilled(&self, bucket: Bucket, now_ms: i64) -> u64 {
        let elapsed = (now_ms - bucket.updated_ms).max(0) as u64;
        let gained = elapsed.saturating_mul(u64::from(self.settings.per_minute));
        bucket.tokens.saturating_add(gained).min(self.capacity())
    }

    /// Spends one token of `client`; when none is left, returns the whole seconds to wait.
    pub fn check(&mut self, client: IpAddr, now_ms: i64) -> Result<(), u64> {
        let key = ClientKey::of(client);
        if !self.buckets.contains_key(&key) && self.buckets.len() >= self.settings.max_clients {
            self.make_room(now_ms);
        }
        let tokens = match self.buckets.get(&key) {
            Some(bucket) => self.refilled(*bucket, now_ms),
            None => self.capacity(),
        };
        let spent = tokens >= TOKEN;
        self.buckets.insert(
            key,
            Bucket {
                tokens: if spent { tokens - TOKEN } else { tokens },
                updated_ms: now_ms,
            },
        );
        if spent {
            return Ok(());
        }
        let wait_ms = (TOKEN - tokens).div_ceil(u64::from(self.settings.per_minute));
        Err(wait_ms.div_ceil(1_000).max(1))
    }

    fn make_room(&mut self, now_ms: i64) {
        let capacity = self.capacity();
        let per_minute = u64::from(self.settings.per_minute);
        self.buckets.retain(|_, bucket| {
            let elapsed = (now_ms - bucket.updated_ms).max(0) as u64;
            bucket
                .tokens
                .saturating_add(elapsed.saturating_mul(per_minute))
                < capacity
        });
        if self.buckets.len() >= self.settings.max_clients {
            let oldest = self
                .buckets
                .iter()
                .min_by_key(|(_, bucket)| bucket.updated_ms)
                .map(|(key, _)| *key);
            if let Some(key) = oldest {
                self.buckets.remove(&key);
            }
        }
    }

    /// Returns the number of clients tracked.
    pub fn len(&self) -> usize {
        self.buckets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }
}

/// Returns the client's address: the peer, or for a trusted proxy the right-most address in
/// `X-Forwarded-For` that is not itself a trusted proxy.
///
/// Entries left of that one are ignored because the client can write them. An entry that is
/// not an address ends the search at the last trusted hop.
pub fn client_address(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let Some(header) = forwarded_for else {
        return peer;
    };
    let mut client = peer;
    for entry in header.rsplit(',') {
        match entry.trim().parse::<IpAddr>() {
            Ok(address) => {
                client = address;
                if !trusted.contains(&address) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client
}

/// Reads a body of at most `limit` bytes; `Ok(None)` when the body is longer.
///
/// At most `limit + 1` bytes are read, whatever the client declared or keeps sending.
pub fn read_bounded(reader: &mut dyn Read, limit: usize) -> io::Result<Option<Vec<u8>>> {
    let mut body = Vec::with_capacity(limit.min(4_096));
    reader.take(limit as u64 + 1).read_to_end(&mut body)?;
    if body.len() > limit {
        Ok(None)
    } else {
        Ok(Some(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn limiter(per_minute: u32, burst: u32, max_clients: usize) -> RateLimiter {
        RateLimiter::new(RateSettings {
            per_minute,
            burst,
            max_clients,
        })
    }

    #[test]
    fn bucket_allows_burst_then_waits() {
        let mut limiter = limiter(6, 3, 10);
        let client = ip("192.0.2.1");
        for _ in 0..3 {
            assert_eq!(limiter.check(client, 0), Ok(()));
        }
        // 6 a minute is one token every 10 s.
        assert_eq!(limiter.check(client, 0), Err(10));
        assert_eq!(limiter.check(client, 4_000), Err(6));
        assert_eq!(limiter.check(client, 10_000), Ok(()));
        assert_eq!(limiter.check(client, 10_000), Err(10));
    }

    #[test]
    fn bucket_refills_to_burst_only() {
        let mut limiter = limiter(60, 2, 10);
        let client = ip("192.0.2.1");
        assert_eq!(limiter.check(client, 0), Ok(()));
        let an_hour = 3_600_000;
        assert_eq!(limiter.check(client, an_hour), Ok(()));
        assert_eq!(limiter.check(client, an_hour), Ok(()));
        assert_eq!(limiter.check(client, an_hour), Err(1));
    }

    #[test]
    fn clients_are_counted_apart() {
        let mut limiter = limiter(1, 1, 10);
        assert_eq!(limiter.check(ip("192.0.2.1"), 0), Ok(()));
        assert_eq!(limiter.check(ip("192.0.2.2"), 0), Ok(()));
        assert_eq!(limiter.check(ip("192.0.2.1"), 0), Err(60));
    }

    #[test]
    fn ipv6_clients_share_their_64() {
        let mut limiter = limiter(1, 1, 10);
        assert_eq!(limiter.check(ip("2001:db8:1:2::1"), 0), Ok(()));
        assert_eq!(limiter.check(ip("2001:db8:1:2::ffff"), 0), Err(60));
        assert_eq!(limiter.check(ip("2001:db8:1:3::1"), 0), Ok(()));
        assert_eq!(
            ClientKey::of(ip("::ffff:192.0.2.1")),
            ClientKey::of(ip("192.0.2.1"))
        );
    }

    #[test]
    fn table_stays_bounded() {
        let mut limiter = limiter(1, 2, 3);
        for (index, last) in [(1, 0), (2, 10), (3, 20)] {
            limiter
                .check(ip(&format!("192.0.2.{index}")), last)
                .unwrap();
        }
        assert_eq!(limiter.len(), 3);
        limiter.check(ip("192.0.2.4"), 30).unwrap();
        assert_eq!(limiter.len(), 3, "the longest idle client was dropped");
        // 192.0.2.1 was forgotten, so it starts again with a full bucket.
        assert_eq!(limiter.check(ip("192.0.2.1"), 40), Ok(()));
        assert_eq!(limiter.check(ip("192.0.2.1"), 40), Ok(()));
        assert_eq!(limiter.check(ip("192.0.2.1"), 40), Err(60));
        assert_eq!(limiter.len(), 3);
    }

    #[test]
    fn full_buckets_are_dropped_first() {
        let mut limiter = limiter(60, 1, 2);
        limiter.check(ip("192.0.2.1"), 0).unwrap();
        limiter.check(ip("192.0.2.2"), 500).unwrap();
        // At 1 200 ms the first bucket has refilled (one token a second), the second has not.
        limiter.check(ip("192.0.2.3"), 1_200).unwrap();
        assert_eq!(
            limiter.check(ip("192.0.2.2"), 1_200),
            Err(1),
            "still tracked"
        );
    }

    #[test]
    fn forwarded_for_is_read_only_from_trusted_proxy() {
        let proxy = ip("127.0.0.1");
        let trusted = [proxy];
        assert_eq!(
            client_address(ip("198.51.100.7"), Some("203.0.113.9"), &trusted),
            ip("198.51.100.7"),
            "an untrusted peer cannot name another client"
        );
        assert_eq!(
            client_address(proxy, Some("203.0.113.9"), &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_address(proxy, Some("10.9.9.9, 203.0.113.9, 127.0.0.1"), &trusted),
            ip("203.0.113.9"),
            "the right-most untrusted entry wins over what the client wrote"
        );
        assert_eq!(client_address(proxy, Some("junk"), &trusted), proxy);
        assert_eq!(client_address(proxy, None, &trusted), proxy);
    }

    #[test]
    fn bounded_read_stops_after_limit() {
        let data = [b'x'; 100];
        assert_eq!(
            read_bounded(&mut &data[..], 100).unwrap().unwrap().len(),
            100
        );
        assert_eq!(read_bounded(&mut &data[..], 99).unwrap(), None);
        let mut endless = std::io::repeat(b'y');
        assert_eq!(read_bounded(&mut endless, 1_000).unwrap(), None);
    }
}

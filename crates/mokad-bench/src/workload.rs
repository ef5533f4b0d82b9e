//! The load generators: bulk loading, the cache-aside replay for the hit ratio, and the
//! latency client and background writers of the stall tests. Every loop is bounded by a
//! request count and by a time limit.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::resp::{Conn, Kind};

/// SplitMix64: small, fast, good enough for sampling.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// Zipf over ranks 0..n (rank r has weight 1/(r+1)^s), sampled by inverting the exact CDF.
pub struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    pub fn new(n: usize, s: f64) -> Zipf {
        let mut cdf = Vec::with_capacity(n);
        let mut sum = 0.0;
        for r in 1..=n {
            sum += 1.0 / (r as f64).powf(s);
            cdf.push(sum);
        }
        for c in &mut cdf {
            *c /= sum;
        }
        Zipf { cdf }
    }
    pub fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.f64();
        self.cdf.partition_point(|&c| c < u).min(self.cdf.len() - 1)
    }
}

/// Maps a popularity rank to a key id with a fixed bijection of 0..n, so that popular keys
/// are spread over the keyspace instead of being adjacent.
pub fn rank_to_id(rank: u64, n: u64) -> u64 {
    // 2^31-1 is prime, hence coprime to any n below it: multiplication mod n is a bijection.
    (rank % n * (2_147_483_647 % n) + 7919) % n
}

pub fn now_unix_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

fn check(kind: Kind, what: &str) -> io::Result<()> {
    match kind {
        Kind::Error(e) => Err(io::Error::other(format!("{what}: server replied -{e}"))),
        _ => Ok(()),
    }
}

/// SETs keys `key(0..n)` with `value` and optional extra arguments (e.g. PXAT t), pipelined
/// in batches on one connection. Returns the elapsed time.
pub fn load(
    addr: &str,
    n: u64,
    key: impl Fn(u64) -> String,
    value: &[u8],
    extra: &[&[u8]],
    limit: Duration,
) -> io::Result<Duration> {
    let mut c = Conn::connect(addr, Duration::from_secs(60))?;
    let start = Instant::now();
    let batch = 256;
    let mut i = 0;
    while i < n {
        if start.elapsed() > limit {
            return Err(io::Error::other(format!("loading {n} keys took over {limit:?}")));
        }
        let end = (i + batch).min(n);
        for j in i..end {
            let k = key(j);
            let mut args: Vec<&[u8]> = vec![b"SET", k.as_bytes(), value];
            args.extend_from_slice(extra);
            c.push(&args);
        }
        c.flush()?;
        for _ in i..end {
            check(c.read_kind()?, "SET while loading")?;
        }
        i = end;
    }
    Ok(start.elapsed())
}

// ---------------------------------------------------------------- hit ratio replay

#[derive(Debug, Clone)]
pub struct ReplayParams {
    pub keys: u64,
    pub requests: u64,
    pub warmup: u64,
    /// Fraction of requests that go to a fresh, never-repeated key (one-pass scan).
    pub scan_fraction: f64,
    pub value_len: usize,
    pub ttl_secs: u64,
    pub connections: usize,
    pub batch: u64,
    pub limit: Duration,
    pub seed: u64,
}

#[derive(Debug, Default, Clone)]
pub struct ReplayCounts {
    pub zipf_requests: u64,
    pub zipf_hits: u64,
    pub scan_requests: u64,
    pub scan_hits: u64,
    pub sets: u64,
    pub set_errors: u64,
    pub truncated: bool,
    pub elapsed: Duration,
}

impl ReplayCounts {
    fn add(&mut self, o: &ReplayCounts) {
        self.zipf_requests += o.zipf_requests;
        self.zipf_hits += o.zipf_hits;
        self.scan_requests += o.scan_requests;
        self.scan_hits += o.scan_hits;
        self.sets += o.sets;
        self.set_errors += o.set_errors;
        self.truncated |= o.truncated;
    }
}

pub fn replay_key(id: u64) -> String {
    format!("obj:{id:08}")
}

/// Cache-aside as a web app does it: GET; on a miss, SET key value EX ttl. Each connection
/// takes batches of requests; it pipelines the batch's GETs, then the SETs for the misses.
pub fn replay(addr: &str, p: &ReplayParams, zipf: &Arc<Zipf>) -> io::Result<ReplayCounts> {
    let next_req = Arc::new(AtomicU64::new(0));
    let next_scan = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut handles = Vec::new();
    for t in 0..p.connections {
        let (addr, p, zipf) = (addr.to_string(), p.clone(), zipf.clone());
        let (next_req, next_scan) = (next_req.clone(), next_scan.clone());
        handles.push(thread::spawn(move || -> io::Result<ReplayCounts> {
            let mut c = Conn::connect(&addr, Duration::from_secs(60))?;
            let mut rng = Rng::new(p.seed.wrapping_mul(1_000_003).wrapping_add(t as u64));
            let value = vec![b'v'; p.value_len];
            let ttl = p.ttl_secs.to_string();
            let mut counts = ReplayCounts::default();
            let mut batch: Vec<(String, bool, bool)> = Vec::new(); // key, is_scan, measured
            let mut misses: Vec<usize> = Vec::new();
            loop {
                if start.elapsed() > p.limit {
                    counts.truncated = true;
                    break;
                }
                let first = next_req.fetch_add(p.batch, Ordering::Relaxed);
                if first >= p.requests {
                    break;
                }
                let last = (first + p.batch).min(p.requests);
                batch.clear();
                for i in first..last {
                    let scan = p.scan_fraction > 0.0 && rng.f64() < p.scan_fraction;
                    let key = if scan {
                        format!("scan:{:010}", next_scan.fetch_add(1, Ordering::Relaxed))
                    } else {
                        replay_key(rank_to_id(zipf.sample(&mut rng) as u64, p.keys))
                    };
                    c.push(&[b"GET", key.as_bytes()]);
                    batch.push((key, scan, i >= p.warmup));
                }
                c.flush()?;
                misses.clear();
                for (idx, (_, scan, measured)) in batch.iter().enumerate() {
                    let hit = match c.read_kind()? {
                        Kind::Bulk => true,
                        Kind::Nil => false,
                        Kind::Error(e) => return Err(io::Error::other(format!("GET: -{e}"))),
                        other => return Err(io::Error::other(format!("GET: unexpected {other:?}"))),
                    };
                    if *measured {
                        if *scan {
                            counts.scan_requests += 1;
                            counts.scan_hits += hit as u64;
                        } else {
                            counts.zipf_requests += 1;
                            counts.zipf_hits += hit as u64;
                        }
                    }
                    if !hit {
                        misses.push(idx);
                    }
                }
                for &idx in &misses {
                    c.push(&[b"SET", batch[idx].0.as_bytes(), &value, b"EX", ttl.as_bytes()]);
                }
                c.flush()?;
                for _ in &misses {
                    counts.sets += 1;
                    if let Kind::Error(_) = c.read_kind()? {
                        counts.set_errors += 1;
                    }
                }
            }
            Ok(counts)
        }));
    }
    let mut total = ReplayCounts::default();
    for h in handles {
        let c = h.join().map_err(|_| io::Error::other("replay thread panicked"))??;
        total.add(&c);
    }
    total.elapsed = start.elapsed();
    Ok(total)
}

// ---------------------------------------------------------------- latency client

/// One request: when it started (since the client's base instant) and how long it took.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub at_ns: u64,
    pub lat_ns: u64,
}

pub struct LatencyClient {
    stop: Arc<AtomicBool>,
    handle: thread::JoinHandle<io::Result<Vec<Sample>>>,
}

impl LatencyClient {
    /// Sends GETs of `key(random below n)` one at a time, recording each latency, until
    /// stopped or `limit` has passed.
    pub fn start(
        addr: &str,
        base: Instant,
        n: u64,
        key: impl Fn(u64) -> String + Send + 'static,
        limit: Duration,
    ) -> io::Result<LatencyClient> {
        let mut c = Conn::connect(addr, Duration::from_secs(60))?;
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let handle = thread::spawn(move || {
            let mut rng = Rng::new(42);
            let mut samples = Vec::with_capacity(1 << 20);
            let begun = Instant::now();
            while !stop2.load(Ordering::Relaxed) && begun.elapsed() < limit {
                let k = key(rng.below(n));
                let t0 = Instant::now();
                c.push(&[b"GET", k.as_bytes()]);
                c.flush()?;
                check(c.read_kind()?, "GET")?;
                let lat = t0.elapsed();
                samples.push(Sample { at_ns: (t0 - base).as_nanos() as u64, lat_ns: lat.as_nanos() as u64 });
            }
            Ok(samples)
        });
        Ok(LatencyClient { stop, handle })
    }

    pub fn finish(self) -> io::Result<Vec<Sample>> {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.join().map_err(|_| io::Error::other("latency thread panicked"))?
    }
}

/// Latency summary in milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct LatStats {
    pub count: u64,
    pub p50: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
    /// When the slowest request started, relative to the event, in seconds.
    pub max_at: f64,
    /// Requests that took over 10 ms, and the time spent in them (ms). A client that sends
    /// one request at a time records one sample per stall, so percentiles understate long
    /// stalls; this does not.
    pub over_10ms: u64,
    pub stalled_ms: f64,
}

pub fn lat_stats(samples: &[Sample], event_ns: u64) -> LatStats {
    if samples.is_empty() {
        return LatStats::default();
    }
    let mut v: Vec<u64> = samples.iter().map(|s| s.lat_ns).collect();
    v.sort_unstable();
    let q = |q: f64| v[((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1] as f64 / 1e6;
    let worst = samples.iter().max_by_key(|s| s.lat_ns).unwrap();
    let slow: Vec<u64> = v.iter().copied().filter(|&l| l > 10_000_000).collect();
    LatStats {
        count: v.len() as u64,
        p50: q(0.50),
        p99: q(0.99),
        p999: q(0.999),
        max: *v.last().unwrap() as f64 / 1e6,
        // Rounded to 10 ms (and -0.00 to 0.00).
        max_at: ((worst.at_ns as f64 - event_ns as f64) / 1e7).round() / 100.0 + 0.0,
        over_10ms: slow.len() as u64,
        stalled_ms: slow.iter().sum::<u64>() as f64 / 1e6,
    }
}

/// Writes fresh keys `prefix:N` at up to `rate` keys/s in pipelined batches, until `count`
/// keys or `limit`. Returns the number written.
pub fn write_fresh(addr: &str, prefix: &str, count: u64, rate: u64, value_len: usize, limit: Duration) -> io::Result<u64> {
    let mut c = Conn::connect(addr, Duration::from_secs(60))?;
    let value = vec![b'w'; value_len];
    let start = Instant::now();
    let batch = 64;
    let mut sent = 0;
    while sent < count && start.elapsed() < limit {
        let end = (sent + batch).min(count);
        for i in sent..end {
            let k = format!("{prefix}:{i:012}");
            c.push(&[b"SET", k.as_bytes(), &value]);
        }
        c.flush()?;
        for _ in sent..end {
            check(c.read_kind()?, "SET while filling")?;
        }
        sent = end;
        let due = Duration::from_secs_f64(sent as f64 / rate as f64);
        let el = start.elapsed();
        if due > el {
            thread::sleep(due - el);
        }
    }
    Ok(sent)
}

//! Minor page faults of the whole process, read from `/proc/self/stat` (Linux only;
//! `None` elsewhere). The timing table reports them per operation beside the times:
//! on glibc's allocator they explain most of the spread of the spawn figures (each
//! repetition frees its actors at once, glibc may give the freed top of its heap back
//! to the system, and the next repetition faults it in again).

/// How many minor page faults the process has taken so far, all threads included.
pub fn minor_faults() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) is in parentheses and may contain spaces: count the
    // fields after it. Field 3 is the state; field 10, `minflt`, is the eighth after it.
    let fields = &stat[stat.rfind(')')? + 1..];
    fields.split_whitespace().nth(7)?.parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(target_os = "linux")]
    fn faults_are_counted_and_grow_when_fresh_memory_is_touched() {
        let before = super::minor_faults().expect("a count on Linux");
        // 64 MiB written page by page: far above any allocator's cache, so mapped fresh.
        let mut pages = vec![0_u8; 64 << 20];
        for page in pages.chunks_mut(4096) {
            page[0] = 1;
        }
        let after = super::minor_faults().expect("a count on Linux");
        assert!(pages.iter().step_by(4096).all(|&byte| byte == 1));
        assert!(after >= before + 1000, "{before} -> {after}");
    }
}

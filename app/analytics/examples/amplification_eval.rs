//! Precision and recall of the amplification detector's default thresholds
//! on generated cascades with planted paid-poster bursts, as a Markdown row
//! for BENCHMARKS.md. `cargo run --release -p analytics --example amplification_eval [CASCADES] [SEED]`

use analytics::cascade::amplification::{AmplificationConfig, evaluate};

fn main() {
    let mut args = std::env::args().skip(1);
    let cascades = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let seed = args.next().and_then(|a| a.parse().ok()).unwrap_or(2026);
    let e = evaluate(&AmplificationConfig::default(), cascades, seed);
    println!(
        "| cascades | planted bursts | node precision | node recall | bursts found | bursts ≥ 20 reposts found |"
    );
    println!("|---|---|---|---|---|---|");
    println!(
        "| {} | {} ({} reposts) | {:.3} | {:.3} | {:.3} | {:.3} |",
        e.cascades,
        e.planted_bursts,
        e.planted_nodes,
        e.precision(),
        e.recall(),
        e.burst_recall(),
        e.large_burst_recall()
    );
}

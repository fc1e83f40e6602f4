#![deny(deprecated)]

use messages::prelude::*;

#[actor]
#[derive(Default)]
struct Meter;

#[actor]
impl Meter {
    /// Reads the meter.
    #[deprecated = "use `read_now`"]
    #[handler]
    fn measure(&self) -> u8 {
        1
    }
}

async fn caller(meter: MeterAddress) {
    let _ = meter.measure().await;
}

fn main() {
    let _ = caller;
}

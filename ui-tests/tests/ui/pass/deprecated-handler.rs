//! A deprecated handler compiles without warnings (under `deny(deprecated)`) as long
//! as nobody calls it: the warning belongs to callers, not to the generated code.
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

    #[deprecated]
    #[notify]
    async fn reset(&mut self) {}

    #[handler]
    fn read_now(&self) -> u8 {
        2
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    runtime.block_on(async {
        let meter = Meter::default().spawn();
        assert_eq!(meter.read_now().await, Ok(2));
    });
}

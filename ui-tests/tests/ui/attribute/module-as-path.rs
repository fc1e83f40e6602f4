use messages::prelude::*;

#[actor]
struct Config;

#[actor(module = messages::config)]
impl Config {
    #[handler]
    fn level(&self) -> u8 {
        1
    }
}

fn main() {}

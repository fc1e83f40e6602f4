use messages::prelude::*;

#[actor]
struct Config;

#[actor(module = "config_messages")]
impl Config {
    #[handler]
    fn level(&self) -> u8 {
        1
    }
}

fn main() {}

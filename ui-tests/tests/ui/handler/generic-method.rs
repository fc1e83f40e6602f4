use messages::prelude::*;

#[actor]
struct Store;

#[actor]
impl Store {
    #[handler]
    fn put<T: Send + 'static>(&mut self, value: T) {
        drop(value);
    }
}

fn main() {}

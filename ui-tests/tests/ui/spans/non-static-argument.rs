use messages::prelude::*;

#[actor]
struct Keeper<T> {
    kept: Vec<T>,
}

#[actor]
impl<T: Send> Keeper<T> {
    #[handler]
    fn keep(&mut self, value: T) -> usize {
        self.kept.push(value);
        self.kept.len()
    }
}

fn main() {}

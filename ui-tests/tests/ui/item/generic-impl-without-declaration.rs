use messages::prelude::*;

struct Buffer<T, const N: usize>([T; N]);

impl<T: Send + 'static, const N: usize> Actor for Buffer<T, N> {}

#[actor]
impl<T: Send + 'static, const N: usize> Buffer<T, N> {
    #[handler]
    fn len(&self) -> usize {
        N
    }
}

fn main() {}

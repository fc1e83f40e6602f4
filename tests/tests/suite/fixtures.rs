//! Message types several test modules use, defined once. Each module implements them
//! for its own actors (the actors stay local: their hooks and handlers differ).

use messages_tests::Gate;

/// Holds the actor busy until the gate opens.
#[derive(Debug)]
pub struct Hold(pub Gate);

/// Tells the test it runs, then waits on the gate.
#[derive(Debug)]
pub struct SignalledHold(pub tokio::sync::oneshot::Sender<()>, pub Gate);

/// A named job; what the actor does with it is the module's.
#[derive(Debug)]
pub struct Job(pub &'static str);

/// A named event to record.
#[derive(Debug)]
pub struct Event(pub &'static str);

/// Asks for its number back.
#[derive(Debug)]
pub struct Echo(pub u8);

/// A numbered tick.
#[derive(Debug)]
pub struct Tick(pub u32);

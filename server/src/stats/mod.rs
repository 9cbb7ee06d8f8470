//! The read path's computed views: parse the request, plan what to read,
//! compute through `analytics`, shape the wire type. No HTTP here.

pub mod cascades;

//! Body keypoints in display-frame pixel coordinates, shared by every pose model.
//!
//! "Left" and "right" are the person's own sides: with the camera in front of the person, their left
//! side appears on the image's right.
use serde::{Deserialize, Serialize};

/// The joints kneetrack uses. The first 17 are the COCO keypoints that MoveNet returns; heel and toe
/// come from BlazePose only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Joint {
    Nose,
    LeftEye,
    RightEye,
    LeftEar,
    RightEar,
    LeftShoulder,
    RightShoulder,
    LeftElbow,
    RightElbow,
    LeftWrist,
    RightWrist,
    LeftHip,
    RightHip,
    LeftKnee,
    RightKnee,
    LeftAnkle,
    RightAnkle,
    LeftHeel,
    RightHeel,
    LeftToe,
    RightToe,
}

impl Joint {
    pub const COUNT: usize = 21;
    pub const ALL: [Joint; Joint::COUNT] = [
        Joint::Nose,
        Joint::LeftEye,
        Joint::RightEye,
        Joint::LeftEar,
        Joint::RightEar,
        Joint::LeftShoulder,
        Joint::RightShoulder,
        Joint::LeftElbow,
        Joint::RightElbow,
        Joint::LeftWrist,
        Joint::RightWrist,
        Joint::LeftHip,
        Joint::RightHip,
        Joint::LeftKnee,
        Joint::RightKnee,
        Joint::LeftAnkle,
        Joint::RightAnkle,
        Joint::LeftHeel,
        Joint::RightHeel,
        Joint::LeftToe,
        Joint::RightToe,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// Snake-case name used in CSV/JSON column headers.
    pub fn name(self) -> &'static str {
        match self {
            Joint::Nose => "nose",
            Joint::LeftEye => "left_eye",
            Joint::RightEye => "right_eye",
            Joint::LeftEar => "left_ear",
            Joint::RightEar => "right_ear",
            Joint::LeftShoulder => "left_shoulder",
            Joint::RightShoulder => "right_shoulder",
            Joint::LeftElbow => "left_elbow",
            Joint::RightElbow => "right_elbow",
            Joint::LeftWrist => "left_wrist",
            Joint::RightWrist => "right_wrist",
            Joint::LeftHip => "left_hip",
            Joint::RightHip => "right_hip",
            Joint::LeftKnee => "left_knee",
            Joint::RightKnee => "right_knee",
            Joint::LeftAnkle => "left_ankle",
            Joint::RightAnkle => "right_ankle",
            Joint::LeftHeel => "left_heel",
            Joint::RightHeel => "right_heel",
            Joint::LeftToe => "left_toe",
            Joint::RightToe => "right_toe",
        }
    }
}

/// A 2D point in pixels, y pointing down as in images.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }
    pub fn scale(self, k: f64) -> Point {
        Point::new(self.x * k, self.y * k)
    }
    pub fn norm(self) -> f64 {
        self.x.hypot(self.y)
    }
    pub fn dist(self, o: Point) -> f64 {
        (self - o).norm()
    }
    pub fn midpoint(self, o: Point) -> Point {
        Point::new((self.x + o.x) / 2.0, (self.y + o.y) / 2.0)
    }
    pub fn is_finite(self) -> bool {
        self.x.is_finite() && self.y.is_finite()
    }
}

impl std::ops::Sub for Point {
    type Output = Point;
    fn sub(self, o: Point) -> Point {
        Point::new(self.x - o.x, self.y - o.y)
    }
}

impl std::ops::Add for Point {
    type Output = Point;
    fn add(self, o: Point) -> Point {
        Point::new(self.x + o.x, self.y + o.y)
    }
}

/// One keypoint: position in display-frame pixels and the model's confidence in [0, 1].
/// A joint the model does not provide has score 0.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Keypoint {
    pub x: f64,
    pub y: f64,
    pub score: f64,
}

impl Keypoint {
    pub fn point(&self) -> Point {
        Point::new(self.x, self.y)
    }
}

/// All keypoints of one person in one frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pose {
    pub keypoints: [Keypoint; Joint::COUNT],
}

impl Default for Pose {
    fn default() -> Self {
        Pose {
            keypoints: [Keypoint::default(); Joint::COUNT],
        }
    }
}

impl Pose {
    pub fn get(&self, joint: Joint) -> Keypoint {
        self.keypoints[joint.index()]
    }
    pub fn set(&mut self, joint: Joint, kp: Keypoint) {
        self.keypoints[joint.index()] = kp;
    }
    /// The point if the model is at least `min_score` confident and the value is finite.
    pub fn confident(&self, joint: Joint, min_score: f64) -> Option<Point> {
        let kp = self.get(joint);
        (kp.score >= min_score && kp.point().is_finite()).then(|| kp.point())
    }
}

/// Which leg: the person's own side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Left,
    Right,
}

impl Side {
    pub fn other(self) -> Side {
        match self {
            Side::Left => Side::Right,
            Side::Right => Side::Left,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
        }
    }
    pub fn hip(self) -> Joint {
        match self {
            Side::Left => Joint::LeftHip,
            Side::Right => Joint::RightHip,
        }
    }
    pub fn knee(self) -> Joint {
        match self {
            Side::Left => Joint::LeftKnee,
            Side::Right => Joint::RightKnee,
        }
    }
    pub fn ankle(self) -> Joint {
        match self {
            Side::Left => Joint::LeftAnkle,
            Side::Right => Joint::RightAnkle,
        }
    }
    pub fn heel(self) -> Joint {
        match self {
            Side::Left => Joint::LeftHeel,
            Side::Right => Joint::RightHeel,
        }
    }
    pub fn toe(self) -> Joint {
        match self {
            Side::Left => Joint::LeftToe,
            Side::Right => Joint::RightToe,
        }
    }
    pub fn shoulder(self) -> Joint {
        match self {
            Side::Left => Joint::LeftShoulder,
            Side::Right => Joint::RightShoulder,
        }
    }
}

// The kind of an expected failure, and the one translation of each kind for the outside world:
// an HTTP status (the agent's local API, the hub's sync API, the console) and a process exit
// code (cksctl, cks-hub admin). Code decides by kind, never by an error's text.
#pragma once

namespace cks {

enum class ErrorCode {
  // A failure nobody should have to handle: a bug, a damaged file, a library that failed in a
  // way we do not expect. The default of `fail(...)`.
  Internal,
  // The thing asked for does not exist (no such alert, request, agent, row).
  NotFound,
  // What the caller sent is malformed or out of range (a bad body, a bad flag, a bad setting);
  // asking again unchanged fails again.
  InvalidArgument,
  // The caller's idea of the state is out of date: the thing already exists or changed
  // meanwhile (an enrolment key already on disk, a sequence the hub already holds otherwise).
  Conflict,
  // The thing is in a state that refuses this change (a resolved alert cannot be acknowledged,
  // a filed request cannot be filed again); the state must change first.
  FailedPrecondition,
  // Not now: a busy or locked database, a disk that is full, a peer that does not answer.
  // Asking again later may succeed.
  Unavailable,
  // The caller is not allowed: wrong secret, revoked agent, invalid enrolment code.
  PermissionDenied,
  // A file's contents are damaged (a store that fails its integrity check, a file that is not
  // a database): asking again fails again, and only setting the file aside helps.
  DataLoss,
};

// The HTTP status every server of cks answers for an error of `code`.
[[nodiscard]] constexpr int httpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::NotFound:
      return 404;
    case ErrorCode::InvalidArgument:
      return 400;
    case ErrorCode::Conflict:
    case ErrorCode::FailedPrecondition:
      return 409;
    case ErrorCode::Unavailable:
      return 503;
    case ErrorCode::PermissionDenied:
      return 403;
    case ErrorCode::Internal:
    case ErrorCode::DataLoss:
      break;
  }
  return 500;
}

// The kind's name in an error answer's JSON ({"error": "not_found", …}): what a client of the
// console's API tells kinds apart by.
[[nodiscard]] constexpr const char* errorKindName(ErrorCode code) {
  switch (code) {
    case ErrorCode::NotFound:
      return "not_found";
    case ErrorCode::InvalidArgument:
      return "invalid_argument";
    case ErrorCode::Conflict:
      return "conflict";
    case ErrorCode::FailedPrecondition:
      return "failed_precondition";
    case ErrorCode::Unavailable:
      return "unavailable";
    case ErrorCode::PermissionDenied:
      return "permission_denied";
    case ErrorCode::DataLoss:
      return "data_loss";
    case ErrorCode::Internal:
      break;
  }
  return "internal";
}

// The exit code of cksctl and cks-hub admin for an error of `code`: 1 a failure, 2 a usage or
// configuration mistake (or a refused secret), 4 something needed did not answer or was busy
// (try again). 0 is success and 3 is cksctl's own "the agent does not answer".
[[nodiscard]] constexpr int exitCode(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument:
    case ErrorCode::PermissionDenied:
      return 2;
    case ErrorCode::Unavailable:
      return 4;
    case ErrorCode::Internal:
    case ErrorCode::NotFound:
    case ErrorCode::Conflict:
    case ErrorCode::FailedPrecondition:
    case ErrorCode::DataLoss:
      break;
  }
  return 1;
}

// The kind of an error answer with HTTP status `status` (a client reading a server of cks):
// the inverse of httpStatus, with other 4xx as InvalidArgument and other 5xx as Internal.
[[nodiscard]] constexpr ErrorCode errorCodeOfHttpStatus(int status) {
  switch (status) {
    case 404:
      return ErrorCode::NotFound;
    case 409:
      return ErrorCode::Conflict;
    case 401:
    case 403:
      return ErrorCode::PermissionDenied;
    case 502:
    case 503:
    case 504:
      return ErrorCode::Unavailable;
    default:
      break;
  }
  return status >= 400 && status < 500 ? ErrorCode::InvalidArgument : ErrorCode::Internal;
}

}  // namespace cks

fn main() {
    iamtrace_web::start();
}

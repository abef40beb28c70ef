"""Email address patterns: learn how a domain builds addresses, and guess addresses from names.

learning.learn_pattern (known addresses → DomainPattern), candidates.generate_candidates
(DomainPattern + name → ranked Candidates), evaluation.leave_one_out (accuracy and calibration).
Nothing is imported here: coldflow.contacts.names uses the transliteration module of this
package, and the other modules use names.
"""
